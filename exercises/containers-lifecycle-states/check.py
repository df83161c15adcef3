import time
from dockyard_check import check
from dockyard_check.terminal import container, made_from


def require(name):
    info = container(name)
    if info is None:
        raise AssertionError(f'there is no container named {name} (docker ps -a lists them all)')
    image = info['Config']['Image']
    assert made_from(info, 'busybox'), f'{name} was made from {image}, not busybox'
    return info


@check('standby was created but never started', hint='docker create --name standby busybox sleep 600 makes the container without starting it.')
def _():
    info = require('standby')
    status = info['State'].get('Status')
    assert status == 'created', f'standby is {status}: it was started (docker create only prepares a container; docker run also starts it)'
    assert 'sleep' in (info['Config'].get('Cmd') or []), f'standby runs {info["Config"].get("Cmd")}, not sleep 600'


@check('task exited by itself with code 3', hint="""docker run --name task busybox sh -c 'echo "task failed" >&2; exit 3' ends with the exit code 3.""")
def _():
    state = require('task')['State']
    assert state.get('Status') == 'exited', f'task is {state.get("Status")}, not exited'
    assert state.get('ExitCode') == 3, f'task exited with code {state.get("ExitCode")}, not 3'


@check('retry has the restart policy on-failure, at most 3 times', hint='--restart on-failure:3, between run and the image name, sets the policy and its limit.')
def _():
    policy = require('retry')['HostConfig'].get('RestartPolicy') or {}
    assert policy.get('Name') == 'on-failure', f'the restart policy of retry is {policy.get("Name") or "none"}, not on-failure'
    assert policy.get('MaximumRetryCount') == 3, f'retry may be restarted {policy.get("MaximumRetryCount")} times, not 3'


@check('The engine restarted retry 3 times, then gave up', hint="retry's command must fail (exit 1) so that the policy restarts it: sh -c 'echo trying; exit 1'.")
def _():
    require('retry')
    deadline = time.monotonic() + 15
    while True:
        info = container('retry')
        state = info['State']
        if (state.get('Status') == 'exited' and info.get('RestartCount') == 3) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert info.get('RestartCount') == 3, f'retry was restarted {info.get("RestartCount")} times, not 3'
    assert state.get('Status') == 'exited' and state.get('ExitCode') == 1, f'retry is {state.get("Status")} with exit code {state.get("ExitCode")}; expected exited with code 1'
