from dockyard_check import check
from dockyard_check.docker import logs
from dockyard_check.terminal import container, made_from, run, tail


def require(name):
    info = container(name)
    if info is None:
        raise AssertionError(f'Skipped: there is no container named {name}.')
    return info


@check('A container named hello exists', hint='Run docker run --name hello hello-world, without --rm: --rm removes the container as soon as it ends.')
def _():
    assert container('hello') is not None, 'the engine has no container named hello (docker ps -a lists them all)'


@check('hello was made from the hello-world image', hint='The image name comes last: docker run --name hello hello-world')
def _():
    info = require('hello')
    assert made_from(info, 'hello-world'), f'hello was made from {info["Config"]["Image"]!r}, not hello-world'


@check('hello ran to the end and succeeded', hint='Let it finish by itself: hello-world prints its message and exits with code 0.')
def _():
    state = require('hello')['State']
    assert state['Status'] == 'exited', f'hello is {state["Status"]}, not exited'
    assert state['ExitCode'] == 0, f'hello ended with exit code {state["ExitCode"]}, expected 0'


@check('A container named look-around exists', hint='Run docker run --name look-around busybox ls /, without --rm.')
def _():
    assert container('look-around') is not None, 'the engine has no container named look-around'


@check('look-around listed / in busybox and succeeded', hint='Everything after the image name is the command: docker run --name look-around busybox ls /')
def _():
    info = require('look-around')
    assert made_from(info, 'busybox'), f'look-around was made from {info["Config"]["Image"]!r}, not busybox'
    state = info['State']
    assert state['Status'] == 'exited' and state['ExitCode'] == 0, f'look-around is {state["Status"]} with exit code {state["ExitCode"]}; expected exited with code 0'
    listing = run('busybox', args=['ls', '/'], options=['--network', 'none'])
    assert listing.exit_code == 0, f'listing / in a throwaway busybox container failed: {tail(listing.output, 3)}'
    printed = logs('look-around').split()
    assert printed == listing.output.split(), f'look-around printed:\n{tail(" ".join(printed), 3, 300) or "(nothing)"}\nnot the listing of / ({" ".join(listing.output.split())})'
