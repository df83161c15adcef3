"""Helpers for terminal checks: read, out of band, the state a learner left in the sandbox's own engine (stdlib only).

Importing this module pins every `dockyard_check.docker` command to the nested engine's socket and an empty CLI
config, so neither the learner's shell (aliases, PATH, a fake `docker`) nor ~/.docker (contexts) is consulted."""
import json, os, urllib.error, urllib.request
from . import docker as _docker
from .docker import RunResult, docker, run, tail

_CONFIG = os.path.join(os.getcwd(), '.docker-config')
os.makedirs(_CONFIG, mode=0o700, exist_ok=True)
_docker.ENV.update({'DOCKER_HOST': 'unix:///var/run/docker.sock', 'DOCKER_CONFIG': _CONFIG})

__all__ = ['MANIFEST_TYPES', 'RunResult', 'address', 'container', 'containers', 'docker', 'image_id', 'made_from', 'network', 'read_volume_file', 'registry_api', 'registry_tags', 'run', 'run_with_volume', 'tail', 'volume', 'volume_exists']


def _inspect(kind, name):
    code, out = docker(kind, 'inspect', name)
    if code != 0:
        return None
    try:
        return json.loads(out)[0]
    except (ValueError, IndexError):
        return None


def volume(name):
    """`docker volume inspect name` as a dict, or None when there is no such volume."""
    return _inspect('volume', name)


def volume_exists(name):
    return volume(name) is not None


def network(name):
    """`docker network inspect name` as a dict, or None."""
    return _inspect('network', name)


def container(name):
    """`docker container inspect name` as a dict (State, Mounts, Config, NetworkSettings…), or None."""
    return _inspect('container', name)


def address(info, network='bridge'):
    """A container's IP address (its inspect dict) on `network`, the default bridge unless named, or None.

    Read from NetworkSettings.Networks: current engines leave the old NetworkSettings.IPAddress empty."""
    networks = (info.get('NetworkSettings') or {}).get('Networks') or {}
    return (networks.get(network) or {}).get('IPAddress') or None


def containers(all=True):
    """Every container of the engine (running or not when `all`): dicts of `docker ps --format '{{json .}}'`."""
    code, out = docker('ps', '--no-trunc', '--format', '{{json .}}', *(['-a'] if all else []))
    if code != 0:
        raise AssertionError(f'docker ps failed: {tail(out, 3)}')
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def image_id(name):
    """The id of the image `name` in the engine, or None when it has no image of that name."""
    code, out = docker('image', 'inspect', '--format', '{{.Id}}', name)
    return out.strip() if code == 0 else None


def _plain_ref(ref):
    """`docker.io/library/busybox:latest`, `library/busybox` and `busybox` all become `busybox:latest`."""
    ref = ref.split('@')[0]
    for prefix in ('docker.io/', 'index.docker.io/', 'registry-1.docker.io/'):
        if ref.startswith(prefix):
            ref = ref[len(prefix):]
    if ref.startswith('library/'):
        ref = ref[len('library/'):]
    return ref if ':' in ref.rsplit('/', 1)[-1] else f'{ref}:latest'


def made_from(info, *names):
    """Whether a container (its inspect dict) was made from one of the images `names`, however the
    student spelled the name (busybox, docker.io/library/busybox:latest, an id or a digest)."""
    used = info['Config'].get('Image', '')
    if _plain_ref(used) in {_plain_ref(n) for n in names}:
        return True
    return info.get('Image') in {i for i in map(image_id, names) if i}


def run_with_volume(volume_name, args, image='busybox', target='/data', timeout=20, read_only=True):
    """Runs a throwaway container (no network) with the volume mounted at `target`: RunResult(exit_code, output)."""
    if not _docker.has_image(image):
        docker('pull', image, timeout=60)  # so no pull progress mixes into the output
    mount = f'{volume_name}:{target}' + (':ro' if read_only else '')
    return run(image, args=args, timeout=timeout, options=['--network', 'none', '-v', mount])


def read_volume_file(volume_name, path, image='busybox'):
    """The text of `path` (relative to the volume's root) read by a throwaway container; None when it is not a file there."""
    target = '/dockyard-volume'
    result = run_with_volume(volume_name, ['sh', '-c', 'test -f "$1" && cat "$1"', 'sh', f'{target}/{path.lstrip("/")}'], image=image, target=target)
    return result.output if result.exit_code == 0 else None


#: What a registry may answer for a manifest: Docker's and OCI's, single images and indexes.
MANIFEST_TYPES = ', '.join([
    'application/vnd.docker.distribution.manifest.v2+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.oci.image.index.v1+json',
])


def registry_api(path, registry='http://127.0.0.1:5000'):
    """GET a path of the registry API (`/v2/_catalog`, …): (status, decoded JSON or None).

    Raises AssertionError, worded as a skip, when nothing answers at `registry`."""
    request = urllib.request.Request(registry + path, headers={'Accept': MANIFEST_TYPES})
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return r.status, json.loads(r.read(1 << 20) or b'null')
    except urllib.error.HTTPError as e:
        return e.code, None
    except (OSError, ValueError) as e:
        raise AssertionError(f'Skipped: the registry does not answer on {registry.split("//")[-1]} ({e}).')


def registry_tags(repo, registry='http://127.0.0.1:5000'):
    """The tags the registry lists for `repo` (empty when it has none, or no such repository)."""
    status, body = registry_api(f'/v2/{repo}/tags/list', registry)
    return (body or {}).get('tags') or [] if status == 200 else []
