import re, time
from dockyard_check import check
from dockyard_check.terminal import address, container, docker, made_from, run, tail


def require_running():
    info = container('cache')
    if info is None or not info['State'].get('Running'):
        raise AssertionError('Skipped: there is no running container named cache.')
    return info


def ask(info, *command):
    """Sends a command to the server in cache from a throwaway client container, over the network: (ok, answer)."""
    ip = address(info)
    assert ip, 'cache has no address on the default network'
    result = run(info['Config']['Image'], args=['redis-cli', '-h', ip, '--raw', *command], timeout=15)
    return result.exit_code == 0, result.output.strip()


def get(info, key):
    ok, value = ask(info, 'get', key)
    assert ok, f'reading the key {key} failed: {tail(value, 3, 300)}'
    return value


@check('A Redis container named cache is running', hint='docker run -d --name cache redis starts it in the background.')
def _():
    info = container('cache')
    assert info is not None, 'there is no container named cache'
    image = info['Config']['Image']
    assert made_from(info, 'redis', 'redis:7'), f'cache was made from {image}, not redis'
    assert info['State'].get('Running'), f'cache is {info["State"].get("Status")}, not running'
    deadline, answer = time.monotonic() + 10, ''
    while time.monotonic() < deadline:
        ok, answer = ask(info, 'ping')
        if ok and answer == 'PONG':
            return
        time.sleep(0.5)
    raise AssertionError(f'the server in cache does not answer ping: {tail(answer, 3, 300)}')


@check('The key course holds dockyard', hint='docker exec cache redis-cli set course dockyard')
def _():
    value = get(require_running(), 'course')
    assert value == 'dockyard', f'course holds {value!r}' if value else 'there is no key course'


@check("The key ip holds the container's IP address", hint="docker inspect -f '{{.NetworkSettings.Networks.bridge.IPAddress}}' cache prints it; store it with redis-cli set ip ADDRESS.")
def _():
    info = require_running()
    value = get(info, 'ip')
    assert value, 'there is no key ip'
    assert value == address(info), f'ip holds {value!r}, which is not the address docker inspect shows for cache'


@check('The key version holds the Redis version from the logs', hint='docker logs cache shows a line with "Redis version=X.Y.Z"; store the X.Y.Z part: redis-cli set version X.Y.Z.')
def _():
    info = require_running()
    found = re.search(r'Redis version=([0-9.]+)', docker('logs', 'cache')[1])
    assert found, 'Skipped: the logs of cache do not show the version line.'
    value = get(info, 'version')
    assert value, 'there is no key version'
    assert value == found.group(1), f'version holds {value!r}, but the logs of cache show another version'
