import json

from dockyard_check import check
from dockyard_check.terminal import container, docker, tail


def ask(command, template):
    code, out = docker(command, '--format', template)
    if code != 0:
        raise RuntimeError(f'docker {command} failed: {tail(out, 3)}')
    return out.strip()


def labels():
    info = container('facts')
    if info is None:
        raise AssertionError('Skipped: there is no container named facts.')
    return info['Config'].get('Labels') or {}


def compare(key, expected, accepted=None):
    found = labels()
    assert key in found, f'facts has no label {key}; its labels are {", ".join(sorted(found)) or "none"}'
    value = found[key].strip()
    assert value in (accepted or [expected]), f'{key} is {value!r}, but the engine says {expected!r}'


@check('A container named facts exists', hint='docker run --name facts busybox true creates it; docker ps -a shows it.')
def _():
    assert container('facts') is not None, 'the engine has no container named facts'


@check('engine.version is the engine version', hint="The Server part of docker version has it; docker version --format '{{.Server.Version}}' prints only that.")
def _():
    compare('engine.version', ask('version', '{{.Server.Version}}'))


@check('engine.storage-driver is the storage driver', hint="Look for Storage Driver in docker info, or run docker info --format '{{.Driver}}'.")
def _():
    compare('engine.storage-driver', ask('info', '{{.Driver}}'))


@check('engine.mirror is the registry mirror', hint="Registry Mirrors in docker info lists it; docker info --format '{{.RegistryConfig.Mirrors}}' prints it in brackets.")
def _():
    mirrors = json.loads(ask('info', '{{json .RegistryConfig.Mirrors}}') or '[]') or []
    assert mirrors, 'this engine has no registry mirror, so there is nothing to compare with'
    accepted = [m for mirror in mirrors for m in (mirror, mirror.rstrip('/'), mirror.rstrip('/') + '/')]
    compare('engine.mirror', mirrors[0], accepted)
