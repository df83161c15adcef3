import urllib.error
import urllib.request

from dockyard_check import check
from dockyard_check.terminal import MANIFEST_TYPES, container, docker, registry_api, registry_tags

REGISTRY = 'http://127.0.0.1:5000'
REPO = 'course/greeter'
GREETING = 'Hello from my registry'


def manifest_digest(repo, tag):
    """The digest the registry gives repo:tag (Docker-Content-Digest), or None when it is not there."""
    request = urllib.request.Request(f'{REGISTRY}/v2/{repo}/manifests/{tag}', method='HEAD', headers={'Accept': MANIFEST_TYPES})
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return r.headers.get('Docker-Content-Digest')
    except urllib.error.HTTPError:
        return None
    except OSError as e:
        raise AssertionError(f'Skipped: the registry does not answer on localhost:5000 ({e}).')


@check('The registry answers on port 5000', hint='docker run -d -p 5000:5000 --name registry registry:2, and leave it running.')
def _():
    info = container('registry')
    assert info is not None and info['State'].get('Running'), 'there is no running container named registry'
    status, _body = registry_api('/v2/')
    assert status == 200, f'http://localhost:5000/v2/ answered with status {status}'


@check('course/greeter has the tag 1.0', hint='Build with -t localhost:5000/course/greeter:1.0, then docker push localhost:5000/course/greeter:1.0.')
def _():
    found = registry_tags(REPO)
    assert '1.0' in found, f'course/greeter has the tags {", ".join(found) or "(none)"} in the registry, not 1.0'


@check('course/greeter has the tag latest', hint='docker tag localhost:5000/course/greeter:1.0 localhost:5000/course/greeter:latest, then push that name too.')
def _():
    found = registry_tags(REPO)
    assert 'latest' in found, f'course/greeter has the tags {", ".join(found) or "(none)"} in the registry, not latest'


@check('1.0 and latest are the same image', hint='Tag the image you built as 1.0 with the second name instead of building another one, then push latest again.')
def _():
    one, latest = manifest_digest(REPO, '1.0'), manifest_digest(REPO, 'latest')
    assert one and latest, 'Skipped: the registry does not have both tags.'
    assert one == latest, f'1.0 is {one[:19]}… but latest is {latest[:19]}…'


@check('The image in the registry prints the greeting', hint="Build from the two lines given: FROM busybox, then CMD [\"echo\", \"Hello from my registry\"].")
def _():
    digest = manifest_digest(REPO, '1.0')
    assert digest, 'Skipped: the registry has no course/greeter:1.0.'
    reference = f'localhost:5000/{REPO}@{digest}'
    code, out = docker('run', '--rm', '--network', 'none', reference, timeout=60)
    assert code == 0, f'docker run {reference} ended with exit code {code}:\n{out.strip()[-400:]}'
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    assert lines and lines[-1] == GREETING, f'the image printed {out.strip()[-300:]!r}, not {GREETING!r}'
