import json

from dockyard_check import check
from dockyard_check.terminal import container, docker, registry_api, registry_tags

REPO, TAG = 'demo/hello', 'v1'
NAME = f'localhost:5000/{REPO}:{TAG}'


def local_names():
    """Every repository:tag the sandbox's engine has."""
    code, out = docker('images', '--format', '{{.Repository}}:{{.Tag}}')
    assert code == 0, f'docker images failed: {out.strip()[-300:]}'
    return set(out.split())


@check('The registry answers on port 5000', hint='docker run -d -p 5000:5000 --name registry registry:2, and leave it running.')
def _():
    info = container('registry')
    assert info is not None and info['State'].get('Running'), 'there is no running container named registry'
    status, _body = registry_api('/v2/')
    assert status == 200, f'http://localhost:5000/v2/ answered with status {status}'


@check('The registry holds demo/hello:v1', hint='docker tag hello-world localhost:5000/demo/hello:v1, then docker push localhost:5000/demo/hello:v1.')
def _():
    found = registry_tags(REPO)
    assert TAG in found, f'demo/hello has the tags {", ".join(found) or "(none)"} in the registry, not v1'


@check('hello-world is no longer on the engine', hint='docker rmi hello-world removes that name (remove the containers that use it first, if it refuses).')
def _():
    names = local_names()
    assert 'hello-world:latest' not in names, 'the engine still has hello-world:latest; remove it so that only your registry can give the image back'


@check('localhost:5000/demo/hello:v1 was pulled back', hint='After removing both names, docker pull localhost:5000/demo/hello:v1 fetches it from your registry.')
def _():
    names = local_names()
    assert NAME in names, f'the engine has no image {NAME}'
    info = json.loads(docker('image', 'inspect', NAME)[1])[0]
    assert any(d.startswith(f'localhost:5000/{REPO}@') for d in info.get('RepoDigests') or []), f'{NAME} has no digest from your registry'
    # The engine stamps an image when a name is put on it (docker tag, commit, build); a pull puts none.
    tagged = (info.get('Metadata') or {}).get('LastTagTime', '')
    assert not tagged or tagged.startswith('0001-01-01'), f'{NAME} is the image you tagged and pushed, still on the engine: remove both names, then docker pull it back from your registry'


@check('hello-again ran the image from your registry', hint='docker run --name hello-again localhost:5000/demo/hello:v1 (no --rm, so the container stays).')
def _():
    info = container('hello-again')
    assert info is not None, 'there is no container named hello-again'
    image = info['Config'].get('Image', '')
    assert image == NAME, f'hello-again was started from {image}, not {NAME}'
    state = info['State']
    assert not state.get('Running') and state.get('Status') == 'exited', f'hello-again has not finished (status: {state.get("Status")})'
    assert state.get('ExitCode') == 0, f'hello-again ended with exit code {state.get("ExitCode")}'
