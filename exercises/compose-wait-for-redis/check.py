import json, re, time

import yaml

from dockyard_check import check
from dockyard_check.compose import cleanup, compose, service_container, up, wait_for_http
from dockyard_check.docker import docker, tail

URL = 'http://127.0.0.1:8000/'
state = {}


def require_up():
    if not state.get('up'):
        raise AssertionError('Skipped: docker compose up did not succeed (see the first check).')


def inspect(service):
    cid = service_container(service)
    if cid is None:
        raise AssertionError(f'the service {service} has no container')
    code, out = docker('inspect', cid)
    assert code == 0, f'docker inspect failed: {tail(out, 3)}'
    return json.loads(out)[0]


@check('docker compose up starts the project', hint='Read the log: is compose.yaml valid YAML (spaces, not tabs), and is every key spelled right?')
def _():
    result = up()
    assert result.ok, 'docker compose up failed:\n' + tail(result.log)
    state['up'] = True


@check('redis has a healthcheck, and it passes', hint='Add healthcheck: under redis, with test: ["CMD", "redis-cli", "ping"] and a short interval such as 1s.')
def _():
    require_up()
    deadline = time.monotonic() + 20
    while True:
        health = (inspect('redis').get('State') or {}).get('Health')
        assert health is not None, 'the redis container has no healthcheck'
        if health.get('Status') == 'healthy':
            return
        if time.monotonic() > deadline:
            last = (health.get('Log') or [{}])[-1].get('Output', '').strip()
            raise AssertionError(f'redis is {health.get("Status")}, not healthy, after 20 s; the last try said: {last[:200]!r}')
        time.sleep(1)


@check('web waits until redis is healthy', hint='Under web, write depends_on: {redis: {condition: service_healthy}} instead of the plain list.')
def _():
    require_up()
    code, out = compose('config')
    assert code == 0, 'docker compose config failed:\n' + tail(out, 5)
    depends = ((yaml.safe_load(out).get('services') or {}).get('web') or {}).get('depends_on') or {}
    condition = (depends.get('redis') or {}).get('condition') if isinstance(depends, dict) else None
    assert condition == 'service_healthy', f'web depends on redis with the condition {condition!r}, expected service_healthy'


@check('web started once, stays up and counts visits', hint='If web gave up at start, it started before redis answered: see the two previous checks.')
def _():
    try:
        require_up()
        web = inspect('web')
        running, restarts = web['State'].get('Running'), web.get('RestartCount', 0)
        if not running:
            out = compose('logs', '--no-color', 'web')[1]
            raise AssertionError(f'web is not running (exit code {web["State"].get("ExitCode")}); it printed:\n{tail(out, 5, 600)}')
        assert restarts == 0, f'web was restarted {restarts} times: it must start once, after redis is ready'
        counts = []
        for _ in range(2):
            status, body = wait_for_http(URL, service='web', timeout=15)
            found = re.search(r'seen (\d+) times', body)
            assert status == 200 and found, f'web answered {status}: {body.strip()[:200]!r}'
            counts.append(int(found.group(1)))
        assert counts[1] == counts[0] + 1, f'two visits gave {counts[0]} then {counts[1]}'
    finally:
        cleanup()
