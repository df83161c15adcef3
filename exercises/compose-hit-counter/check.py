import re, time

from dockyard_check import check
from dockyard_check.compose import cleanup, down, up, wait_for_http
from dockyard_check.docker import tail

URL = 'http://127.0.0.1:8000/'
state = {}


def require_up():
    if not state.get('up'):
        raise AssertionError('Skipped: docker-compose up did not succeed (see the first check).')


def hits(timeout=20):
    """Asks the web service for the page and returns its count (asking again while redis is not ready yet)."""
    deadline = time.monotonic() + timeout
    while True:
        status, body = wait_for_http(URL, service='web', timeout=max(1, deadline - time.monotonic()))
        found = re.search(r'seen (\d+) times', body)
        if status == 200 and found:
            return int(found.group(1))
        if time.monotonic() > deadline:
            raise AssertionError(f'the web service answered {status}: {body.strip()[:200]!r}')
        time.sleep(0.5)


@check('docker-compose up starts the project', hint='Read the log: is compose.yaml valid YAML, and does every service have a build or an image?')
def _():
    result = up()
    assert result.ok, 'docker-compose up failed:\n' + tail(result.log)
    state['up'] = True


@check('The web service answers on port 8000', hint='Publish the port under web: ports: ["8000:8000"].')
def _():
    require_up()
    wait_for_http(URL, service='web', timeout=20)


@check('The counter goes up with every visit', hint='Add a redis service named redis (image: redis): the app finds it by its service name. depends_on makes web start after it.')
def _():
    require_up()
    first = hits()
    second = hits(5)
    assert second == first + 1, f'two visits gave {first} then {second}'
    state['count'] = second


@check('The count survives docker-compose down and up', hint='Mount a named volume at /data in the redis service and declare it under the top-level volumes: key.')
def _():
    try:
        require_up()
        assert 'count' in state, 'Skipped: the counter did not work (see the previous check).'
        down(stop_timeout=3)
        result = up(build=False)
        assert result.ok, 'docker-compose up (the second time) failed:\n' + tail(result.log)
        after = hits()
        assert after > state['count'], (f'the count went from {state["count"]} to {after} after down and up: '
                                         'the redis data was lost with its container')
    finally:
        cleanup()
