import time

from dockyard_check import check
from dockyard_check.docker import wait_for_http
from dockyard_check.terminal import container, made_from, network, run, tail


def published(info):
    """{'80/tcp': ['8080', …]}: the host ports each container port is published on."""
    ports = {}
    for source in ((info.get('HostConfig') or {}).get('PortBindings') or {}, (info.get('NetworkSettings') or {}).get('Ports') or {}):
        for port, bindings in source.items():
            for b in bindings or []:
                if b.get('HostPort'):
                    ports.setdefault(port, set()).add(b['HostPort'])
    return ports


def running(name, image):
    info = container(name)
    if info is None:
        raise AssertionError(f'the engine has no container named {name}')
    assert made_from(info, image), f'{name} was made from {info["Config"]["Image"]!r}, not {image}'
    assert info['State']['Running'], f'{name} is {info["State"]["Status"]}; start it with -d and leave it running'
    joined = set((info.get('NetworkSettings') or {}).get('Networks') or {})
    assert 'store' in joined, f'{name} is on {", ".join(sorted(joined)) or "no network"}, not on store'
    return info


@check('The network store exists', hint='docker network create store')
def _():
    assert network('store') is not None, 'the engine has no network named store'


@check('api runs python -m http.server 8000 on store', hint='docker run -d --name api --network store python:3.11-slim python -m http.server 8000')
def _():
    info = running('api', 'python:3.11-slim')
    cmd = info['Config']['Cmd'] or []
    assert 'http.server' in cmd and '8000' in cmd, f'api runs {" ".join(cmd) or "the image default"!r}, not python -m http.server 8000'


@check('api publishes no port', hint='Leave out -p for api: containers on store reach it anyway. Remove it with docker rm -f api and start it again.')
def _():
    info = container('api')
    assert info is not None, 'Skipped: there is no container named api.'
    ports = published(info)
    assert not ports, 'api publishes ' + ', '.join(f'{p} on host port {", ".join(sorted(h))}' for p, h in sorted(ports.items()))


@check('web runs nginx on store, published on port 8080', hint='docker run -d --name web --network store -p 8080:80 nginx')
def _():
    ports = published(running('web', 'nginx'))
    assert '8080' in ports.get('80/tcp', set()), 'web does not publish its port 80 on host port 8080' + (f'; it publishes {ports}' if ports else '')


@check('http://localhost:8080 answers with the nginx page', hint='The published port forwards to port 80 of web; web must be running.')
def _():
    if container('web') is None:
        raise AssertionError('Skipped: there is no container named web.')
    status, body = wait_for_http('http://127.0.0.1:8080', timeout=10, container='web')
    assert status == 200 and 'nginx' in body.lower(), f'http://localhost:8080 answered {status}, not the nginx page'


@check('On store, http://api:8000 answers', hint='api must be on store and running python -m http.server 8000.')
def _():
    if network('store') is None or container('api') is None:
        raise AssertionError('Skipped: store and api must both exist.')
    for attempt in range(5):
        result = run('busybox', args=['wget', '-qO-', '-T', '5', 'http://api:8000'], timeout=20, options=['--network', 'store'])
        if result.exit_code == 0:
            break
        time.sleep(1)
    assert result.exit_code == 0, f'wget http://api:8000 from a container on store failed:\n{tail(result.output, 5, 400)}'
    assert 'Directory listing' in result.output, f'http://api:8000 answered, but not with the directory listing of http.server:\n{tail(result.output, 5, 400)}'
