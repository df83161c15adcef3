from dockyard_check import check
from dockyard_check.terminal import container, docker, made_from, tail

MIB = 1024 * 1024


def boxed():
    info = container('boxed')
    if info is None:
        raise AssertionError('Skipped: there is no container named boxed.')
    return info


def inside(*args):
    """Runs a command in the running container boxed: its output, or AssertionError."""
    if not boxed()['State']['Running']:
        raise AssertionError('Skipped: boxed is not running.')
    code, out = docker('exec', 'boxed', *args, timeout=15)
    assert code == 0, f'could not run {" ".join(args)} in boxed: {tail(out, 3)}'
    return out.strip()


@check('boxed is running sleep 3600 from busybox', hint='Start it in the background with -d, and give the command after the image: ... busybox sleep 3600')
def _():
    info = container('boxed')
    assert info is not None, 'the engine has no container named boxed'
    assert made_from(info, 'busybox'), f'boxed was made from {info["Config"]["Image"]!r}, not busybox'
    cmd = info['Config']['Cmd'] or []
    assert cmd == ['sleep', '3600'], f'boxed runs {" ".join(cmd) or "the image default"!r}, not sleep 3600'
    assert info['State']['Running'], f'boxed is {info["State"]["Status"]}; it should still be running (use -d, and do not stop it)'


@check('Its host name is lab', hint='--hostname lab gives the container its own host name.')
def _():
    configured = boxed()['Config'].get('Hostname')
    assert configured == 'lab', f'boxed has the host name {configured!r}, not lab'
    seen = inside('hostname')
    assert seen == 'lab', f'inside boxed, hostname prints {seen!r}'


@check('Inside boxed, PID 1 is sleep', hint='The command after the image name becomes the first process of the container: busybox sleep 3600')
def _():
    first = inside('cat', '/proc/1/comm')
    assert first == 'sleep', f'the process with PID 1 in boxed is {first!r}, not sleep'


@check('Its memory is limited to 64 MiB', hint='--memory 64m (or --memory 64M) sets the limit; it goes before the image name.')
def _():
    limit = boxed()['HostConfig'].get('Memory') or 0
    assert limit == 64 * MIB, 'boxed has no memory limit' if limit == 0 else f'boxed may use {limit} bytes ({limit / MIB:g} MiB), not 64 MiB'


@check('It may run at most 20 processes', hint='--pids-limit 20 caps the number of processes in the container.')
def _():
    limit = boxed()['HostConfig'].get('PidsLimit') or 0
    assert limit == 20, 'boxed has no process limit' if limit <= 0 else f'boxed may run {limit} processes, not 20'
