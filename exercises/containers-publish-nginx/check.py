from dockyard_check import check
from dockyard_check.terminal import container, made_from
from dockyard_check.docker import wait_for_http


def require_running(name):
    info = container(name)
    assert info is not None, f'there is no container named {name}'
    image = info['Config']['Image']
    assert made_from(info, 'nginx'), f'{name} was made from {image}, not nginx'
    assert info['State'].get('Running'), f'{name} is {info["State"].get("Status")}, not running'
    return info


def bindings(info):
    """The host side of the container's port 80: a list of (address, port)."""
    ports = (info.get('HostConfig') or {}).get('PortBindings') or {}
    return [(b.get('HostIp') or '', b.get('HostPort') or '') for b in ports.get('80/tcp') or []]


def serves(port, name):
    status, body = wait_for_http(f'http://127.0.0.1:{port}/', timeout=15, container=name)
    assert status == 200 and 'nginx' in body, f'port {port} answered with status {status}, not the nginx welcome page'


@check('site publishes port 80 on port 8088 of the sandbox', hint='docker run -d --name site -p 8088:80 nginx (host port first, then the container port).')
def _():
    found = bindings(require_running('site'))
    assert found, 'site publishes no port (docker port site shows nothing)'
    assert any(port == '8088' for _, port in found), f'port 80 of site is published on {", ".join(p for _, p in found)}, not 8088'
    assert all(addr in ('', '0.0.0.0') for addr, port in found if port == '8088'), 'site is limited to one address; it should accept connections from any'


@check('nginx answers on port 8088', hint='Once site publishes 8088:80, curl http://localhost:8088 returns the welcome page.')
def _():
    require_running('site')
    serves(8088, 'site')


@check('site-local publishes port 80 on 127.0.0.1:8089 only', hint='Put the address before the ports: -p 127.0.0.1:8089:80.')
def _():
    found = bindings(require_running('site-local'))
    assert found, 'site-local publishes no port'
    shown = ', '.join(f'{a or "0.0.0.0"}:{p}' for a, p in found)
    assert ('127.0.0.1', '8089') in found, f'port 80 of site-local is published on {shown}, not 127.0.0.1:8089'


@check('nginx answers on 127.0.0.1:8089', hint='curl http://127.0.0.1:8089 should return the welcome page once site-local runs.')
def _():
    require_running('site-local')
    serves(8089, 'site-local')
