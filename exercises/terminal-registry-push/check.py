import json
import urllib.error
import urllib.request

from dockyard_check import check
from dockyard_check.docker import has_image, inspect_image
from dockyard_check.terminal import container, docker

REGISTRY = 'http://127.0.0.1:5000'
REPO, TAG = 'tools/busybox', '1.0'
MANIFEST_TYPES = ', '.join([
    'application/vnd.docker.distribution.manifest.v2+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.oci.image.index.v1+json',
])


def api(path):
    """GET a registry API path: (status, decoded JSON or None); AssertionError when the registry does not answer."""
    request = urllib.request.Request(REGISTRY + path, headers={'Accept': MANIFEST_TYPES})
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return r.status, json.loads(r.read(1 << 20) or b'null')
    except urllib.error.HTTPError as e:
        return e.code, None
    except (OSError, ValueError) as e:
        raise AssertionError(f'Skipped: the registry does not answer on localhost:5000 ({e}).')


def tags(repo):
    status, body = api(f'/v2/{repo}/tags/list')
    return (body or {}).get('tags') or [] if status == 200 else []


def config_digest(repo, tag):
    """The config digest (= image id) of repo:tag in the registry, or None when it is not there."""
    status, manifest = api(f'/v2/{repo}/manifests/{tag}')
    if status != 200 or not manifest:
        return None
    if 'manifests' in manifest:  # a list for several platforms: take the first one
        status, manifest = api(f'/v2/{repo}/manifests/{manifest["manifests"][0]["digest"]}')
        if status != 200 or not manifest:
            return None
    return (manifest.get('config') or {}).get('digest')


@check('A container named registry runs registry:2', hint='docker run -d -p 5000:5000 --name registry registry:2')
def _():
    info = container('registry')
    assert info is not None, 'there is no container named registry'
    assert info['State'].get('Running'), f'registry is not running (status: {info["State"]["Status"]}); docker start registry starts it again'
    image = info['Config'].get('Image', '')
    assert image == 'registry:2', f'the container registry runs {image}, not registry:2'


@check('The registry answers on port 5000', hint='Publish the port with -p 5000:5000 when you start the registry; curl http://localhost:5000/v2/ should print {}.')
def _():
    status, _body = api('/v2/')
    assert status == 200, f'http://localhost:5000/v2/ answered with status {status}'


@check('The registry holds the repository tools/busybox', hint='The repository is the part of the name between localhost:5000/ and the colon: tag busybox as localhost:5000/tools/busybox:1.0, then push that name.')
def _():
    status, body = api('/v2/_catalog')
    assert status == 200, f'the catalog answered with status {status}'
    repos = (body or {}).get('repositories') or []
    assert REPO in repos, f'the registry lists {", ".join(repos) or "no repositories"}, not tools/busybox'


@check('tools/busybox has the tag 1.0', hint='docker push localhost:5000/tools/busybox:1.0 (the tag is the part after the colon).')
def _():
    found = tags(REPO)
    assert TAG in found, f'tools/busybox has the tags {", ".join(found) or "(none)"}, not 1.0'


@check('tools/busybox:1.0 is the busybox image', hint='Tag the busybox image itself: docker tag busybox localhost:5000/tools/busybox:1.0, then push again.')
def _():
    digest = config_digest(REPO, TAG)
    assert digest, 'Skipped: the registry has no tools/busybox:1.0.'
    if not has_image('busybox'):
        docker('pull', 'busybox', timeout=60)
    assert digest == inspect_image('busybox')['Id'], f'the image pushed as tools/busybox:1.0 ({digest[:19]}…) is not busybox'
