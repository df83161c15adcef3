from dockyard_check import check
from dockyard_check.docker import based_on, build, cleanup, config, require_image, run_detached, tail, wait_for_http

GREETING = 'Ahoy from the harbour'


def greeting(*options):
    """Starts a container (port 8000 published, `options` added) and returns what it answers."""
    try:
        container = run_detached(ports=[8000], options=list(options))
        status, body = wait_for_http('http://127.0.0.1:8000/', timeout=15, container=container)
        assert status == 200, f'the app answered {status}: {body[:200]!r}'
        return body.strip()
    finally:
        cleanup()


@check('The Dockerfile builds', hint='Read the build log: which step failed, and what did it print?')
def _():
    result = build()
    assert result.ok, 'docker build failed:\n' + tail(result.log)


@check('It starts from python:3.11-slim and works in /app', hint='FROM python:3.11-slim, then WORKDIR /app.')
def _():
    require_image()
    assert based_on('submission', 'python:3.11-slim'), 'the image is not built on python:3.11-slim'
    workdir = config().get('WorkingDir') or '/'
    assert workdir == '/app', f'the working directory is {workdir}, not /app'


@check('It sets GREETING in the image and records port 8000', hint='ENV GREETING="Ahoy from the harbour" and EXPOSE 8000.')
def _():
    require_image()
    env = config().get('Env') or []
    assert f'GREETING={GREETING}' in env, f'the image\'s environment has {", ".join(e for e in env if e.startswith("GREETING=")) or "no GREETING"}, not GREETING={GREETING}'
    ports = sorted((config().get('ExposedPorts') or {}).keys())
    assert '8000/tcp' in ports, f'the image records the ports {", ".join(ports) or "none"}, not 8000'


@check('Its command is python app.py, in the exec form', hint='CMD ["python", "app.py"]: a JSON list, so no shell stands between Docker and Python.')
def _():
    require_image()
    cmd, entrypoint = config().get('Cmd') or [], config().get('Entrypoint')
    assert not entrypoint and cmd == ['python', 'app.py'], f'the image runs {entrypoint or []} {cmd}, not ["python", "app.py"]'


@check('A container answers with the greeting, and -e changes it', hint='COPY app.py into /app; the app reads GREETING when it starts, so ENV must set it, not the command.')
def _():
    require_image()
    said = greeting()
    assert said == GREETING, f'the app answered {said!r}, not {GREETING!r}'
    other = greeting('-e', 'GREETING=Hello from the check')
    assert other == 'Hello from the check', f'with -e GREETING="Hello from the check" the app answered {other!r}'
