import time
from dockyard_check import check
from dockyard_check.docker import build, cleanup, docker, logs, require_image, run_detached, running, tail, wait_for_http

_started = {}


def started():
    """One container of the image, with port 8000 published, started once for every check."""
    require_image()
    if 'id' not in _started:
        _started['id'] = run_detached(ports=[8000])
        time.sleep(3)
    return _started['id']


@check('The image builds', hint='Read the build log: which step failed, and what did it print?')
def _():
    result = build()
    assert result.ok, 'docker build failed:\n' + tail(result.log)


@check('A container of the image is still running 3 s after it starts', hint='docker logs shows what it printed; a container stops when its main process (sh start.sh) ends.')
def _():
    container = started()
    if not running(container):
        code = docker('inspect', '--format', '{{.State.ExitCode}}', container)[1].strip()
        raise AssertionError(f'the container stopped (exit code {code}) within 3 s. Its output:\n{tail(logs(container), 6, 600) or "(nothing)"}')


@check('The app answers on port 8000 from outside the container', hint='The app must be running in the container when it is asked: see the check above.')
def _():
    status, body = wait_for_http('http://127.0.0.1:8000/', timeout=10, container=started())
    assert status == 200 and 'The notes app is up.' in body, f'port 8000 answered {status}: {body[:200]!r}'


@check('docker stop reaches the app, which stops cleanly at once', hint='exec python app.py makes the app the main process, so it gets the stop signal itself.')
def _():
    container = started()
    assert running(container), 'Skipped: the container is not running.'
    try:
        began = time.monotonic()
        docker('stop', '-t', '6', container, timeout=20)
        took = time.monotonic() - began
        said = logs(container)
        assert 'app: stopped cleanly' in said, f'the app never got the stop signal: docker stop waited {took:.0f} s and killed the container. Its output:\n{tail(said, 6, 600)}'
        assert took < 4, f'docker stop took {took:.1f} s'
    finally:
        cleanup()
