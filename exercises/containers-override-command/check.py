import time
from dockyard_check import check
from dockyard_check.terminal import address, container, docker, made_from, run, tail
from dockyard_check.docker import config


def require(name):
    info = container(name)
    assert info is not None, f'there is no container named {name} (docker ps -a lists them all)'
    image = info['Config']['Image']
    assert made_from(info, 'redis', 'redis:7'), f'{name} was made from {image}, not redis'
    return info


@check("cache-7000 keeps redis's entrypoint and runs redis-server --port 7000", hint='Put the new command after the image name, and no --entrypoint: docker run -d --name cache-7000 redis redis-server --port 7000.')
def _():
    info = require('cache-7000')
    image_entrypoint = config(info['Config']['Image']).get('Entrypoint')
    entrypoint, cmd = info['Config'].get('Entrypoint'), info['Config'].get('Cmd') or []
    assert entrypoint == image_entrypoint, f'the entrypoint of cache-7000 is {entrypoint}, not the image\'s own {image_entrypoint}'
    assert cmd[:1] == ['redis-server'] and '7000' in cmd, f'the command of cache-7000 is {cmd}, not redis-server --port 7000'


@check('The server in cache-7000 answers on port 7000', hint='Start it in the background with -d; docker logs cache-7000 shows why a server stopped.')
def _():
    info = require('cache-7000')
    assert info['State'].get('Running'), f'cache-7000 is {info["State"].get("Status")}, not running; its output:\n{tail(docker("logs", "cache-7000")[1], 5, 400)}'
    ip = address(info)
    assert ip, 'cache-7000 has no address on the default network'
    # A throwaway client container asks the server over the network, as another program would.
    deadline, out = time.monotonic() + 10, ''
    while time.monotonic() < deadline:
        result = run(info['Config']['Image'], args=['redis-cli', '-h', ip, '-p', '7000', 'ping'], timeout=15)
        out = result.output
        if result.exit_code == 0 and out.strip() == 'PONG':
            return
        time.sleep(0.5)
    raise AssertionError(f'redis-cli -p 7000 ping, sent to cache-7000, answered:\n{tail(out, 3, 300)}')


@check('os-check runs cat /etc/os-release instead of the entrypoint', hint='--entrypoint cat before the image name, and /etc/os-release after it.')
def _():
    info = require('os-check')
    entrypoint, cmd = info['Config'].get('Entrypoint'), info['Config'].get('Cmd')
    assert entrypoint == ['cat'], f'the entrypoint of os-check is {entrypoint}, not cat'
    assert cmd == ['/etc/os-release'], f'the argument of os-check is {cmd}, not /etc/os-release'


@check('os-check printed the distribution and ended successfully', hint='Run it without -d and without --rm, so it ends after printing and stays listed.')
def _():
    info = require('os-check')
    state = info['State']
    assert state.get('Status') == 'exited' and state.get('ExitCode') == 0, f'os-check is {state.get("Status")} with exit code {state.get("ExitCode")}; expected exited with code 0'
    out = docker('logs', 'os-check')[1]
    assert 'PRETTY_NAME=' in out, f'os-check printed:\n{tail(out, 5, 400) or "(nothing)"}'
