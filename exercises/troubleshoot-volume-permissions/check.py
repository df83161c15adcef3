import os, urllib.request
from dockyard_check import check
from dockyard_check.docker import build, cleanup, docker, logs, require_image, run, run_detached, tail, wait_for_http

VOLUME = f'dockyard-visits-{os.getpid()}'
_visited = {}


def visit_twice():
    """Starts the app with a new named volume on /data and visits it twice (once for every check): the two answers."""
    require_image()
    if 'answers' not in _visited:
        docker('volume', 'rm', '-f', VOLUME)
        docker('volume', 'create', VOLUME)
        container = run_detached(ports=[8000], options=['-v', f'{VOLUME}:/data'])
        try:
            first = wait_for_http('http://127.0.0.1:8000/', timeout=10, container=container)
        except AssertionError as e:
            _visited['answers'] = AssertionError(f'{e}')
        else:
            with urllib.request.urlopen('http://127.0.0.1:8000/', timeout=5) as r:
                second = (r.status, r.read(1000).decode('utf-8', 'replace'))
            _visited['answers'] = [first, second]
        cleanup()
    if isinstance(_visited['answers'], AssertionError):
        raise _visited['answers']
    return _visited['answers']


@check('The image builds', hint='Read the build log: which step failed, and what did it print?')
def _():
    result = build()
    assert result.ok, 'docker build failed:\n' + tail(result.log)


@check('The app runs as a user that is not root', hint='Keep USER app: the fix is to give app its folder, not to run as root.')
def _():
    require_image()
    result = run(args=['id', '-u'], options=['--entrypoint', ''], timeout=20)
    uid = (result.output.strip().splitlines() or ['?'])[-1]
    assert result.exit_code == 0, f'could not run id -u in the image:\n{tail(result.output, 5)}'
    assert uid != '0', 'the container runs as root (uid 0)'


@check('With a new named volume on /data, the app starts and counts visits', hint='docker logs shows a PermissionError: the volume\'s folder must belong to app (RUN mkdir /data && chown app:app /data, before USER).')
def _():
    answers = visit_twice()
    bodies = [body.strip() for _, body in answers]
    assert bodies == ['visit number 1', 'visit number 2'], f'two visits answered {bodies}'


@check('The visits are kept in the volume', hint='The app must write to /data, the folder the volume is mounted on.')
def _():
    visit_twice()
    result = run(args=['cat', '/data/visits.txt'], options=['--entrypoint', '', '-v', f'{VOLUME}:/data'], timeout=20)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 0, f'a second container found no visits.txt in the volume: {tail(result.output, 2, 300)}'
    assert lines == ['visit', 'visit'], f'visits.txt in the volume holds {len(lines)} lines, not the 2 visits'
    docker('volume', 'rm', '-f', VOLUME)
