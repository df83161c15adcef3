from dockyard_check import check
from dockyard_check.docker import has_image, inspect_image
from dockyard_check.terminal import container, docker, made_from, registry_api, registry_tags

REPO, TAG = 'tools/busybox', '1.0'


def config_digest(repo, tag):
    """The config digest (= image id) of repo:tag in the registry, or None when it is not there."""
    status, manifest = registry_api(f'/v2/{repo}/manifests/{tag}')
    if status != 200 or not manifest:
        return None
    if 'manifests' in manifest:  # a list for several platforms: take the first one
        status, manifest = registry_api(f'/v2/{repo}/manifests/{manifest["manifests"][0]["digest"]}')
        if status != 200 or not manifest:
            return None
    return (manifest.get('config') or {}).get('digest')


@check('A container named registry runs registry:2', hint='docker run -d -p 5000:5000 --name registry registry:2')
def _():
    info = container('registry')
    assert info is not None, 'there is no container named registry'
    assert info['State'].get('Running'), f'registry is not running (status: {info["State"]["Status"]}); docker start registry starts it again'
    image = info['Config'].get('Image', '')
    assert made_from(info, 'registry:2'), f'the container registry runs {image}, not registry:2'


@check('The registry answers on port 5000', hint='Publish the port with -p 5000:5000 when you start the registry; curl http://localhost:5000/v2/ should print {}.')
def _():
    status, _body = registry_api('/v2/')
    assert status == 200, f'http://localhost:5000/v2/ answered with status {status}'


@check('The registry holds the repository tools/busybox', hint='The repository is the part of the name between localhost:5000/ and the colon: tag busybox as localhost:5000/tools/busybox:1.0, then push that name.')
def _():
    status, body = registry_api('/v2/_catalog')
    assert status == 200, f'the catalog answered with status {status}'
    repos = (body or {}).get('repositories') or []
    assert REPO in repos, f'the registry lists {", ".join(repos) or "no repositories"}, not tools/busybox'


@check('tools/busybox has the tag 1.0', hint='docker push localhost:5000/tools/busybox:1.0 (the tag is the part after the colon).')
def _():
    found = registry_tags(REPO)
    assert TAG in found, f'tools/busybox has the tags {", ".join(found) or "(none)"}, not 1.0'


@check('tools/busybox:1.0 is the busybox image', hint='Tag the busybox image itself: docker tag busybox localhost:5000/tools/busybox:1.0, then push again.')
def _():
    digest = config_digest(REPO, TAG)
    assert digest, 'Skipped: the registry has no tools/busybox:1.0.'
    if not has_image('busybox'):
        docker('pull', 'busybox', timeout=60)
    assert digest == inspect_image('busybox')['Id'], f'the image pushed as tools/busybox:1.0 ({digest[:19]}…) is not busybox'
