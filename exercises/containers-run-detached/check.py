import time
from dockyard_check import check
from dockyard_check.terminal import container, containers, docker, made_from, tail


def require_clock():
    info = container('clock')
    if info is None:
        raise AssertionError('Skipped: there is no container named clock.')
    return info


@check('A container named clock exists', hint='--name clock names the container; docker ps -a lists every container by name.')
def _():
    assert container('clock') is not None, 'there is no container named clock'


@check('clock runs from busybox and is still running', hint='Start it with -d so that it runs in the background; a loop that never ends keeps it up.')
def _():
    info = require_clock()
    image = info['Config']['Image']
    assert made_from(info, 'busybox'), f'clock was made from {image}, not busybox'
    state = info['State']
    assert state.get('Running'), f'clock is {state.get("Status")} (exit code {state.get("ExitCode")}), not running; its output:\n{tail(docker("logs", "clock")[1], 5, 400) or "(nothing)"}'


@check('clock has GREETING=ahoy in its environment', hint='-e GREETING=ahoy, before the image name, sets the variable inside the container.')
def _():
    env = require_clock()['Config'].get('Env') or []
    assert 'GREETING=ahoy' in env, f'its environment is {", ".join(env)}, without GREETING=ahoy'


@check("clock prints the greeting from the variable", hint="""Quote the loop with single quotes so the container's shell expands $GREETING: sh -c 'while true; do echo "$GREETING $(date)"; sleep 1; done'.""")
def _():
    require_clock()
    deadline, out = time.monotonic() + 5, ''
    while time.monotonic() < deadline:
        code, out = docker('logs', 'clock')
        if code == 0 and 'ahoy' in out:
            return
        time.sleep(0.5)
    raise AssertionError(f'the output of clock does not contain ahoy; it printed:\n{tail(out, 5, 400) or "(nothing)"}')


@check('No stopped container is left', hint='--rm removes a one-off container when it ends; docker container prune -f removes the stopped ones.')
def _():
    others = sorted(c['Names'] for c in containers() if c['Names'] != 'clock')
    assert not others, f'besides clock, the engine still has: {", ".join(others)}'
