from dockyard_check import check
from dockyard_check.terminal import container, containers, made_from
from dockyard_check.docker import wait_for_http

PAGE = 'The new site'


def require_site():
    info = container('site')
    if info is None:
        raise AssertionError('Skipped: there is no container named site.')
    return info


def publishes(info, port):
    """Whether the container asks for host port `port` for one of its ports."""
    bindings = ((info.get('HostConfig') or {}).get('PortBindings') or {}).values()
    return any(b.get('HostPort') == str(port) for found in bindings for b in found or [])


@check('legacy is no longer running', hint='docker ps --filter publish=8080 names the container holding the port; docker rm -f legacy retires it.')
def _():
    info = container('legacy')
    assert info is None or not info['State'].get('Running'), 'legacy is still running and holds port 8080'


@check('site runs from nginx and publishes port 80 on port 8080', hint='Remove the site container the failed run created, then run it again: docker run -d --name site -p 8080:80 -v … nginx.')
def _():
    info = require_site()
    assert made_from(info, 'nginx'), f'site was made from {info["Config"]["Image"]}, not nginx'
    state = info['State']
    assert state.get('Running'), f'site is {state.get("Status")}, not running{" (" + state["Error"] + ")" if state.get("Error") else ""}'
    bindings = (info.get('HostConfig') or {}).get('PortBindings') or {}
    ports = [b.get('HostPort') for b in bindings.get('80/tcp') or []]
    assert '8080' in ports, f'port 80 of site is published on {", ".join(ports) or "no port"}, not 8080'


@check('No other running container holds port 8080', hint='docker ps --filter publish=8080 should list site only.')
def _():
    others = [c['Names'] for c in containers(all=False) if c['Names'] != 'site' and publishes(container(c['Names']) or {}, 8080)]
    assert not others, f'{", ".join(others)} still publish port 8080'


@check('Port 8080 shows the new site', hint='site serves the folder site bind-mounted at /usr/share/nginx/html; curl http://localhost:8080 should show The new site.')
def _():
    require_site()
    status, body = wait_for_http('http://127.0.0.1:8080/', timeout=10, container='site')
    assert status == 200 and PAGE in body, f'port 8080 answered {status} with {body[:120]!r}, not the new site'
