from dockyard_check import check
from dockyard_check.terminal import container, docker, made_from, network, run, tail


def networks_of(info):
    """The names of the networks a container is (or, once stopped, was) attached to."""
    names = set((info.get('NetworkSettings') or {}).get('Networks') or {})
    mode = (info.get('HostConfig') or {}).get('NetworkMode')
    if mode and mode != 'default':
        names.add(mode)
    return names


def require(name):
    info = container(name)
    if info is None:
        raise AssertionError(f'Skipped: there is no container named {name}.')
    return info


@check('The network lab exists and is a bridge', hint='docker network create lab creates it; docker network ls lists the networks.')
def _():
    net = network('lab')
    assert net is not None, 'the engine has no network named lab'
    assert net['Driver'] == 'bridge', f'lab uses the {net["Driver"]} driver, not bridge'


@check('web runs nginx on lab', hint='docker run -d --name web --network lab nginx')
def _():
    info = container('web')
    assert info is not None, 'the engine has no container named web'
    assert made_from(info, 'nginx'), f'web was made from {info["Config"]["Image"]!r}, not nginx'
    assert info['State']['Running'], f'web is {info["State"]["Status"]}; start it with -d and leave it running'
    joined = networks_of(info)
    assert 'lab' in joined, f'web is on {", ".join(sorted(joined)) or "no network"}, not on lab'


@check('probe fetched http://web from lab and succeeded', hint='docker run --name probe --network lab busybox wget -qO- http://web (without --rm, so the engine keeps it).')
def _():
    info = require('probe')
    assert made_from(info, 'busybox'), f'probe was made from {info["Config"]["Image"]!r}, not busybox'
    cmd = info['Config']['Cmd'] or []
    assert cmd[:1] == ['wget'] and any('web' in arg for arg in cmd[1:]), f'probe ran {" ".join(cmd) or "the image default"!r}; it should run wget with the address http://web'
    joined = networks_of(info)
    assert 'lab' in joined, f'probe was on {", ".join(sorted(joined)) or "no network"}, not on lab: on the default bridge the name web means nothing'
    state = info['State']
    assert state['Status'] == 'exited', f'probe is {state["Status"]}; let it finish'
    assert state['ExitCode'] == 0, f'probe ended with exit code {state["ExitCode"]}: wget did not get the page (was web ready? try sleep 2 before it)'


@check('On lab, the name web answers with the nginx page', hint='Both containers must be on lab, and web must still be running.')
def _():
    if network('lab') is None:
        raise AssertionError('Skipped: there is no network lab.')
    require('web')
    result = run('busybox', args=['wget', '-qO-', '-T', '5', 'http://web'], timeout=20, options=['--network', 'lab'])
    assert result.exit_code == 0, f'wget http://web from a container on lab failed:\n{tail(result.output, 5, 400)}'
    assert 'nginx' in result.output.lower(), f'http://web answered, but not with the nginx page:\n{tail(result.output, 5, 400)}'
