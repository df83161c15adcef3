from dockyard_check import check
from dockyard_check.docker import build, cleanup, image_size, require_image, run, run_detached, tail, wait_for_http

LIMIT_MB = 10


@check('The Dockerfile builds', hint='Read the build log: which step failed, and what did it print?')
def _():
    result = build()
    assert result.ok, 'docker build failed:\n' + tail(result.log)


@check('A container serves the built page on port 8080',
       hint='In the last stage, copy the folder from the first one with COPY --from=build /src/public /www, and start httpd -f -p 8080 -h /www.')
def _():
    require_image()
    try:
        container = run_detached(ports=[8080])
        status, body = wait_for_http('http://127.0.0.1:8080/', timeout=15, container=container)
        assert status == 200, f'the server answered {status}: {body[:200]!r}'
        assert 'Built with Python' in body and 'Small images with multi-stage builds' in body, (
            f'the page is not the one build.py writes: {body[:200]!r}')
    finally:
        cleanup()


@check(f'The final image is smaller than {LIMIT_MB} MB',
       hint='Start a second stage FROM busybox: only what you copy into it ends up in the final image.')
def _():
    require_image()
    size = image_size()
    assert size < LIMIT_MB * 1_000_000, f'the image is {size / 1_000_000:.1f} MB'


@check('Python is not in the final image', hint='Python is needed to build the page, not to serve it: leave it in the first stage.')
def _():
    require_image()
    result = run(args=['sh', '-c', 'command -v python3 || command -v python || ls /usr/local/bin/python3'], options=['--entrypoint', ''])
    assert result.exit_code != 0, f'the final image still has Python: {result.output.strip()[:200]}'
