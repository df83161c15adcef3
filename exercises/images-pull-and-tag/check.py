from dockyard_check import check
from dockyard_check.terminal import docker
from dockyard_check.docker import has_image

SOURCE = 'redis:7'
NAME = 'course/cache:stable'


def image_id(ref):
    code, out = docker('image', 'inspect', '--format', '{{.Id}}', ref)
    return out.strip() if code == 0 else None


@check('redis:7 was pulled', hint='Fetch it with docker pull redis:7 (with the tag: redis alone means redis:latest).')
def _():
    assert has_image(SOURCE), 'the engine has no image redis:7'


@check('The name course/cache:stable exists', hint='docker tag takes the existing name first, then the new one.')
def _():
    assert has_image(NAME), 'the engine has no image named course/cache:stable (docker images lists the names)'


@check('course/cache:stable is the same image as redis:7', hint='Tag the image you pulled: docker tag redis:7 course/cache:stable. A tag copies nothing, so both names show one image id.')
def _():
    mine, source = image_id(NAME), image_id(SOURCE)
    assert mine is not None, 'Skipped: there is no image course/cache:stable.'
    assert source is not None, 'Skipped: there is no image redis:7.'
    assert mine == source, f'course/cache:stable is image {mine[7:19]}, but redis:7 is {source[7:19]}: the new name points to another image'
