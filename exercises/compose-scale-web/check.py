import re, time

from dockyard_check import check
from dockyard_check.compose import cleanup, ps, up
from dockyard_check.docker import tail, wait_for_http

PORTS = (8001, 8002, 8003)
state = {}


def require_up():
    if not state.get('up'):
        raise AssertionError('Skipped: docker compose up did not succeed (see the first check).')


def visit(port, timeout=20):
    """One visit to a replica: (host name, count); asks again while redis is not ready yet."""
    deadline = time.monotonic() + timeout
    while True:
        status, body = wait_for_http(f'http://127.0.0.1:{port}/', timeout=max(1, deadline - time.monotonic()))
        found = re.search(r'Hello from (\S+)! I have been seen (\d+) times', body)
        if status == 200 and found:
            return found.group(1), int(found.group(2))
        if time.monotonic() > deadline:
            raise AssertionError(f'port {port} answered {status}: {body.strip()[:200]!r}')
        time.sleep(0.5)


@check('docker compose up starts the project', hint='Read the log: a host port can be published only once, so one fixed port cannot serve three containers.')
def _():
    result = up()
    assert result.ok, 'docker compose up failed:\n' + tail(result.log)
    state['up'] = True


@check('web runs three containers', hint='scale: 3 under the web service makes docker compose up start three containers of it.')
def _():
    require_up()
    web = [c for c in ps() if c['Service'] == 'web']
    running = [c for c in web if c['Running']]
    assert len(running) == 3, f'web has {len(running)} running containers (of {len(web)}), expected 3'


@check('Each of the ports 8001, 8002 and 8003 reaches a different container', hint='Publish a range of host ports: ports: ["8001-8003:8000"]; each container takes one of them.')
def _():
    require_up()
    hosts = {}
    for port in PORTS:
        try:
            hosts[port] = visit(port)[0]
        except AssertionError as e:
            raise AssertionError(f'nothing answered on port {port}: {e}') from None
    assert len(set(hosts.values())) == 3, f'the answers came from {len(set(hosts.values()))} containers, expected 3: {hosts}'
    state['replicas'] = True


@check('All replicas share one counter', hint='Keep one redis service: every web container counts in it, so the count goes on whichever container answers.')
def _():
    try:
        require_up()
        assert state.get('replicas'), 'Skipped: the three ports did not reach three containers (see the previous check).'
        counts = [visit(port)[1] for port in PORTS]
        assert counts == list(range(counts[0], counts[0] + 3)), f'visits to ports 8001, 8002 and 8003 gave the counts {counts}'
    finally:
        cleanup()
