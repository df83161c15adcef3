from dockyard_check import check
from dockyard_check.terminal import address, container, made_from, run, tail


def require(name):
    info = container(name)
    if info is None:
        raise AssertionError(f'Skipped: there is no container named {name}.')
    return info


def on_default_bridge(info):
    """Whether a container is (or, once stopped, was) on the default bridge and no other network."""
    mode = (info.get('HostConfig') or {}).get('NetworkMode')
    networks = set((info.get('NetworkSettings') or {}).get('Networks') or {})
    return mode in ('default', 'bridge') and networks <= {'bridge'}


@check('web runs nginx on the default bridge', hint='docker run -d --name web nginx, with no --network.')
def _():
    info = container('web')
    assert info is not None, 'the engine has no container named web'
    assert made_from(info, 'nginx'), f'web was made from {info["Config"]["Image"]!r}, not nginx'
    assert info['State']['Running'], f'web is {info["State"]["Status"]}; start it with -d and leave it running'
    assert on_default_bridge(info), f'web is on {info["HostConfig"].get("NetworkMode")!r}; start it without --network, so it joins the default bridge'


@check("probe fetched web's page by its address and succeeded", hint='WEB_IP=$(docker inspect -f \'{{.NetworkSettings.Networks.bridge.IPAddress}}\' web), then docker run --name probe busybox wget -qO- "http://$WEB_IP".')
def _():
    web = require('web')
    info = require('probe')
    assert made_from(info, 'busybox'), f'probe was made from {info["Config"]["Image"]!r}, not busybox'
    assert on_default_bridge(info), 'probe was not on the default bridge; run it without --network'
    web_ip = address(web)
    assert web_ip, 'web has no address on the default bridge'
    cmd = info['Config']['Cmd'] or []
    assert cmd[:1] == ['wget'], f'probe ran {" ".join(cmd) or "the image default"!r}; it should run wget'
    asked = [arg for arg in cmd[1:] if not arg.startswith('-')]
    assert any(arg.removeprefix('http://').split('/')[0].split(':')[0] == web_ip for arg in asked), (
        f'probe asked for {" ".join(asked) or "nothing"}, but web is at {web_ip}: on the default bridge only the address works'
    )
    state = info['State']
    assert state['Status'] == 'exited', f'probe is {state["Status"]}; let it finish'
    assert state['ExitCode'] == 0, f'probe ended with exit code {state["ExitCode"]}: wget did not get the page (was web ready? try sleep 2 before it)'


@check("At web's address on the default bridge, nginx answers", hint='web must still be running.')
def _():
    web = require('web')
    web_ip = address(web)
    assert web_ip, 'web has no address on the default bridge'
    result = run('busybox', args=['wget', '-qO-', '-T', '5', f'http://{web_ip}'], timeout=20)
    assert result.exit_code == 0, f'wget http://{web_ip} from a container on the default bridge failed:\n{tail(result.output, 5, 400)}'
    assert 'nginx' in result.output.lower(), f'http://{web_ip} answered, but not with the nginx page:\n{tail(result.output, 5, 400)}'
