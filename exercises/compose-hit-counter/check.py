import json, re, time

from dockyard_check import check
from dockyard_check.compose import cleanup, compose, down, exec, service_container, up, wait_for_http
from dockyard_check.docker import docker, tail

URL = 'http://127.0.0.1:8000/'
state = {}


def require_up():
    if not state.get('up'):
        raise AssertionError('Skipped: docker compose up did not succeed (see the first check).')


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


def project_config():
    """The project as Compose reads it (`docker compose config --format json`)."""
    code, out = compose('config', '--format', 'json')
    start = out.find('{')
    assert code == 0 and start >= 0, 'docker compose config failed:\n' + tail(out, 8)
    return json.loads(out[start:])


@check('docker compose up --build builds the app and starts the project', hint='Read the log: is compose.yaml valid YAML, does every service have a build or an image, and does the Dockerfile build?')
def _():
    result = up()
    assert result.ok, 'docker compose up failed:\n' + tail(result.log)
    state['up'] = True


@check('The web service is built from the Dockerfile, with the requirements installed by pip', hint='Give web `build: .`, and in the Dockerfile COPY requirements.txt and RUN pip install -r requirements.txt before copying app.py.')
def _():
    require_up()
    web = project_config().get('services', {}).get('web')
    assert web is not None, 'compose.yaml has no service named web'
    assert web.get('build'), 'the web service is not built (it has no build:), so the Dockerfile is never used'
    container = service_container('web')
    assert container, 'the web service has no container'
    code, image = docker('inspect', '--format', '{{.Image}}', container)
    assert code == 0, 'the web container cannot be inspected'
    code, steps = docker('history', '--no-trunc', '--format', '{{.CreatedBy}}', image.strip())
    assert code == 0, 'the web image has no history'
    assert re.search(r'^RUN .*pip3? install', steps, re.M), (
        'no RUN step of the web image runs pip install: flask and redis must be installed when the image is built, '
        'not each time the container starts')


@check('The web service answers on port 8000', hint='Publish the port under web: ports: ["8000:8000"].')
def _():
    require_up()
    wait_for_http(URL, service='web', timeout=20)


@check('The counter goes up with every visit, and the count is kept in redis', hint='Add a redis service named redis (image: redis): the app connects to the host name redis. depends_on makes web start after it.')
def _():
    require_up()
    first = hits()
    second = hits(5)
    assert second == first + 1, f'two visits gave {first} then {second}'
    stored = exec('redis', ['redis-cli', 'GET', 'hits'])
    assert stored.exit_code == 0, 'redis-cli in the redis service failed: is there a service named redis?\n' + tail(stored.output, 5)
    assert stored.output.strip() == str(second), f'the page says {second} but redis holds {stored.output.strip()!r} under hits'
    state['count'] = second


@check('The count survives docker compose down and up', hint='Mount a named volume at /data in the redis service and declare it under the top-level volumes: key.')
def _():
    try:
        require_up()
        assert 'count' in state, 'Skipped: the counter did not work (see the previous check).'
        down(stop_timeout=3)
        result = up(build=False)
        assert result.ok, 'docker compose up (the second time) failed:\n' + tail(result.log)
        after = hits()
        assert after > state['count'], (f'the count went from {state["count"]} to {after} after down and up: '
                                         'the redis data was lost with its container')
    finally:
        cleanup()
