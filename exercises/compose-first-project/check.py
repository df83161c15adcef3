import time

from dockyard_check import check
from dockyard_check.compose import PROJECT, cleanup, ps, up
from dockyard_check.docker import docker, tail, wait_for_http

state = {}


def require_up():
    if not state.get('up'):
        raise AssertionError('Skipped: the project did not come up (see the first check).')


@check('The project comes up', hint='Read the log: is the YAML indented with spaces, and does every service name an image?')
def _():
    result = up(build=False)
    assert result.ok, 'the project did not come up:\n' + tail(result.log)
    state['up'] = True


@check('web runs nginx and answers on port 8081 of the host', hint='Under web, a ports: list with the one item - "8081:80" publishes nginx\'s port 80 on port 8081.')
def _():
    require_up()
    web = [c for c in ps() if c['Service'] == 'web']
    assert web and web[0]['Running'], 'the service web has no running container'
    status, body = wait_for_http('http://127.0.0.1:8081/', timeout=15)
    assert status == 200 and 'nginx' in body, f'port 8081 answered {status}, not with nginx\'s welcome page'


@check('Another container on the project\'s network reaches redis at the name cache', hint='Add a service named cache with image: redis; the service name is the host name.')
def _():
    require_up()
    try:
        deadline, out = time.monotonic() + 15, ''
        while time.monotonic() < deadline:
            code, out = docker('run', '--rm', '--network', f'{PROJECT}_default', 'redis', 'redis-cli', '-h', 'cache', 'ping', timeout=30)
            if code == 0 and out.strip().endswith('PONG'):
                return
            time.sleep(1)
        raise AssertionError(f'redis-cli -h cache ping, from the project\'s network, answered: {tail(out, 3, 300)}')
    finally:
        cleanup()
