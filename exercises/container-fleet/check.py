import os

from dockyard_check import check
from dockyard_check.docker import logs
from dockyard_check.terminal import container, made_from

FLEET = ['fleet-1', 'fleet-2', 'fleet-3']


def fleet():
    found = {name: container(name) for name in FLEET}
    missing = [name for name, info in found.items() if info is None]
    return found, missing


@check('fleet-1, fleet-2 and fleet-3 exist', hint='Name each container with --name, e.g. docker run -d --name fleet-1 busybox sleep 3600.')
def _():
    _, missing = fleet()
    assert not missing, f'the engine has no container named {", ".join(missing)}'


@check('Each fleet container runs sleep 3600 in busybox', hint='The image name comes after the options, the command after the image: ... busybox sleep 3600')
def _():
    found, missing = fleet()
    assert len(missing) < len(FLEET), 'Skipped: none of the fleet containers exists.'
    wrong = []
    for name, info in found.items():
        if info is None:
            continue
        image = info['Config']['Image']
        cmd = info['Config']['Cmd'] or []
        if not made_from(info, 'busybox') or cmd != ['sleep', '3600']:
            wrong.append(f'{name} runs {" ".join(cmd)!r} from {image!r}')
    assert not wrong and not missing, '; '.join(wrong + [f'{m} is missing' for m in missing])


@check('All three are still running', hint='Start them with -d so they run in the background, and do not stop or remove them.')
def _():
    found, missing = fleet()
    assert not missing, f'Skipped: {", ".join(missing)} missing.'
    stopped = [f'{name} is {info["State"]["Status"]}' for name, info in found.items() if not info['State']['Running']]
    assert not stopped, '; '.join(stopped)


@check('kernel printed the kernel version from busybox', hint='Without --rm, so it stays: docker run --name kernel busybox uname -r')
def _():
    info = container('kernel')
    assert info is not None, 'the engine has no container named kernel'
    assert made_from(info, 'busybox'), f'kernel was made from {info["Config"]["Image"]!r}, not busybox'
    state = info['State']
    assert state['Status'] == 'exited' and state['ExitCode'] == 0, f'kernel is {state["Status"]} with exit code {state["ExitCode"]}; expected exited with code 0'
    # Every container shares the sandbox's kernel, so this is what uname -r prints in any of them.
    kernel = os.uname().release
    printed = logs('kernel').strip()
    assert printed == kernel, f'kernel printed {printed[-200:] or "nothing"!r}; the kernel every container shares is {kernel}'
