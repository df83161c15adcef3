from dockyard_check import check
from dockyard_check.terminal import containers, docker, run, tail
from dockyard_check.docker import config, has_image

IMAGE = 'greeting:v1'
TEXT = 'Hello from a committed image'


def require_image():
    if not has_image(IMAGE):
        raise AssertionError('Skipped: there is no image greeting:v1.')


# The containers are looked at first: the checks below start throwaway containers of their own (removed at once).
@check('draft and final are removed', hint='docker ps -a lists every container; docker rm draft final removes the two this exercise made.')
def _():
    left = sorted(c['Names'] for c in containers() if c['Names'] in ('draft', 'final'))
    assert not left, f'these containers are still there: {", ".join(left)}'


@check('The image greeting:v1 exists', hint='Commit the container: docker commit final greeting:v1.')
def _():
    assert has_image(IMAGE), 'the engine has no image greeting:v1'


@check('greeting:v1 holds /greeting.txt with the greeting', hint="Commit a container that wrote the file: docker run --name final busybox sh -c 'echo \"Hello from a committed image\" > /greeting.txt'.")
def _():
    require_image()
    result = run(IMAGE, args=['cat', '/greeting.txt'], options=['--network', 'none'])
    assert result.exit_code == 0, f'cat /greeting.txt failed in greeting:v1:\n{tail(result.output, 5, 400)}'
    assert result.output.strip() == TEXT, f'/greeting.txt contains:\n{tail(result.output, 5, 400)}\nexpected: {TEXT}'


@check('Running greeting:v1 without a command prints the greeting', hint='Set the default command while committing: docker commit --change \'CMD ["cat", "/greeting.txt"]\' final greeting:v1.')
def _():
    require_image()
    cmd = config(IMAGE).get('Cmd')
    result = run(IMAGE, options=['--network', 'none'])
    assert result.exit_code == 0 and result.output.strip() == TEXT, (
        f'the default command is {cmd}; docker run --rm greeting:v1 printed:\n{tail(result.output, 5, 400) or "(nothing)"}'
    )


@check('The draft name and the dangling images are gone', hint='docker rmi greeting:draft removes the name; docker image prune -f removes the images shown as <none>.')
def _():
    assert not has_image('greeting:draft'), 'greeting:draft is still there'
    code, out = docker('images', '--filter', 'dangling=true', '--format', '{{.ID}}')
    assert code == 0, f'docker images failed: {tail(out, 3)}'
    assert not out.split(), f'{len(out.split())} dangling image(s) left (docker images --filter dangling=true)'


@check('busybox and greeting:v1 are kept', hint='Remove only what you do not need: docker image prune -a would also take busybox and greeting:v1.')
def _():
    gone = [name for name in ('busybox:latest', IMAGE) if not has_image(name)]
    assert not gone, f'{" and ".join(gone)} {"is" if len(gone) == 1 else "are"} gone; keep them, remove only the draft and the dangling images'
