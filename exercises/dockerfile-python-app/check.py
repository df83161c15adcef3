from dockyard_check import check
from dockyard_check.docker import based_on, build, cleanup, config, process_uid, require_image, run, run_detached, tail, wait_for_http

BASE = 'python:3.11-slim'
app = {}


def app_container():
    """The app's container, published on port 8000: started once, for the user check and the serving check."""
    if 'id' not in app:
        app['id'] = run_detached(ports=[8000])
    return app['id']


@check('The Dockerfile builds', hint='Read the build log: which step failed, and what did it print?')
def _():
    result = build()
    assert result.ok, 'docker build failed:\n' + tail(result.log)


@check('It starts from python:3.11-slim', hint='The first instruction should be FROM python:3.11-slim.')
def _():
    require_image()
    assert based_on('submission', BASE), 'the image is not built on python:3.11-slim'


@check('It works in /app', hint='Add WORKDIR /app before copying the app.')
def _():
    require_image()
    workdir = config().get('WorkingDir') or '/'
    assert workdir == '/app', f'the working directory is {workdir}, expected /app'


@check('The container does not run as root', hint='Create a user with RUN useradd … and switch to it with USER.')
def _():
    require_image()
    # The user the app's own process runs as; when the app stops at once, the user the image runs commands as.
    try:
        uid = process_uid(app_container())
    except AssertionError:  # the container did not start; the next check says why
        uid = None
    if uid is None:
        result = run(args=['id', '-u'], options=['--entrypoint', ''], timeout=20)
        last = (result.output.strip().splitlines() or ['?'])[-1]
        assert result.exit_code == 0 and last.isdigit(), f'could not run id -u in the image:\n{tail(result.output, 5)}'
        uid = int(last)
    assert uid != 0, 'the container runs as root (uid 0)'


@check('Starting a container serves the app on port 8000', hint='COPY app.py into /app and end with CMD ["python", "app.py"].')
def _():
    require_image()
    try:
        container = app_container()
        status, body = wait_for_http('http://127.0.0.1:8000/', timeout=15, container=container)
        assert status == 200 and 'Hello from a container!' in body, f'the app answered {status}: {body[:200]!r}'
    finally:
        cleanup()
