import re
from dockyard_check import check
from dockyard_check.terminal import container, docker, made_from, tail
from dockyard_check.docker import has_image, layers

TAG = re.compile(r'^layers-(\d+)$')


def image_id(ref):
    code, out = docker('image', 'inspect', '--format', '{{.Id}}', ref)
    return out.strip() if code == 0 else None


def layer_tags():
    """The tags of the nginx repository that look like layers-N, as (tag, N)."""
    code, out = docker('images', 'nginx', '--format', '{{.Tag}}')
    if code != 0:
        return []
    return [(t, int(m.group(1))) for t in out.split() if (m := TAG.match(t))]


@check('debian:bookworm-slim and nginx were pulled', hint='docker pull debian:bookworm-slim, then docker pull nginx.')
def _():
    missing = [ref for ref in ('debian:bookworm-slim', 'nginx') if not has_image(ref)]
    assert not missing, f'the engine has no image {" nor ".join(missing)}'


@check('A tag nginx:layers-N exists', hint='Add the name with docker tag nginx nginx:layers-N, putting the number of layers in place of N.')
def _():
    assert layer_tags(), 'no image is named nginx:layers-<number> (docker images nginx lists the tags)'


@check('The number in the tag is the number of nginx layers', hint="Count the entries of docker image inspect -f '{{json .RootFS.Layers}}' nginx, or let {{len .RootFS.Layers}} count them.")
def _():
    tags = layer_tags()
    assert tags, 'Skipped: there is no tag nginx:layers-N.'
    assert has_image('nginx'), 'Skipped: there is no image nginx.'
    count = len(layers('nginx'))
    wrong = [t for t, n in tags if n != count]
    assert not wrong, f'{", ".join("nginx:" + t for t in wrong)} does not match the number of layers of nginx; count the list again'


@check('nginx:layers-N names the nginx image itself', hint='Tag the image nginx (that is, nginx:latest); a tag of another image would have other layers.')
def _():
    tags = layer_tags()
    assert tags, 'Skipped: there is no tag nginx:layers-N.'
    target = image_id('nginx')
    others = [t for t, _ in tags if image_id(f'nginx:{t}') != target]
    assert not others, f'{", ".join("nginx:" + t for t in others)} points to another image than nginx:latest'


@check('scratchpad wrote /tmp/notes.txt into its writable layer', hint="Run it without --rm: docker run --name scratchpad debian:bookworm-slim sh -c 'echo draft > /tmp/notes.txt'; docker diff scratchpad then shows the file.")
def _():
    info = container('scratchpad')
    assert info is not None, 'there is no container named scratchpad (docker ps -a lists stopped containers too)'
    image = info['Config']['Image']
    assert made_from(info, 'debian:bookworm-slim'), f'scratchpad was made from {image}, not debian:bookworm-slim'
    code, out = docker('diff', 'scratchpad')
    assert code == 0, f'docker diff scratchpad failed: {tail(out, 3)}'
    assert 'A /tmp/notes.txt' in out.splitlines(), f'scratchpad did not add /tmp/notes.txt; docker diff shows:\n{tail(out, 8, 600) or "(no changes)"}'
    code, out = docker('cp', 'scratchpad:/tmp/notes.txt', '-')
    assert code == 0 and 'draft' in out, 'the file /tmp/notes.txt in scratchpad does not contain the word draft'
