from dockyard_check import check
from dockyard_check.terminal import read_volume_file, run_with_volume, tail, volume_exists

VOLUME = 'shared'
FIRST = 'Hello from the first container'
SECOND = 'Changed by the second container'


def require_script():
    text = read_volume_file(VOLUME, 'hello.sh') if volume_exists(VOLUME) else None
    if text is None:
        raise AssertionError('Skipped: there is no hello.sh in the volume shared.')
    return text


@check('The volume shared exists', hint='Create it with docker volume create shared (docker volume ls lists the volumes).')
def _():
    assert volume_exists(VOLUME), 'the engine has no volume named shared'


@check('hello.sh is in the volume', hint='Mount the volume with -v shared:/data and write the file to /data/hello.sh from inside the container.')
def _():
    assert volume_exists(VOLUME), 'Skipped: there is no volume shared.'
    assert read_volume_file(VOLUME, 'hello.sh') is not None, 'the volume shared has no file hello.sh at its top level'


@check('hello.sh has both lines', hint='The first container writes the echo of the first line; the second one appends (>>, not >) the echo of the second.')
def _():
    text = require_script()
    missing = [line for line in (FIRST, SECOND) if line not in text]
    assert not missing, f'hello.sh does not mention {" nor ".join(repr(m) for m in missing)}; it contains:\n{tail(text, 8, 600)}'


@check('Running hello.sh prints both lines, in order', hint='Try it: docker run --rm -v shared:/data busybox sh /data/hello.sh')
def _():
    require_script()
    result = run_with_volume(VOLUME, ['sh', '/data/hello.sh'], timeout=20)
    assert result.exit_code == 0, f'sh /data/hello.sh ended with exit code {result.exit_code}:\n{tail(result.output, 8, 600)}'
    lines = [l.strip() for l in result.output.strip().splitlines() if l.strip()]
    assert lines == [FIRST, SECOND], f'it printed:\n{tail(result.output, 8, 600)}\nexpected exactly:\n{FIRST}\n{SECOND}'
