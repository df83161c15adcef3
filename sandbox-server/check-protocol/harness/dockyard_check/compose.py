"""Compose helpers for compose checks: bring the submission's project up and down, probe it (stdlib only).

Every command is `docker compose -p <project> -f <file>` (Compose v2) run in /work/submission with a
clean environment. Call cleanup() at the end of the last check (the harness ends with os._exit, so the atexit hook
only helps outside it); the sandbox's removal is the backstop."""
import atexit, os, time
from collections import namedtuple

from . import docker as _docker
from .docker import KEEP_BYTES, SUBMISSION, phase, run_tail, tail

COMPOSE = [_docker.DOCKER, 'compose']
# Compose v2 builds with BuildKit; --progress plain keeps its logs readable in a verdict.
ENV = _docker.ENV
PROJECT = 'submission'
FILE = 'compose.yaml'

UpResult = namedtuple('UpResult', 'ok log timed_out', defaults=(False,))

_projects = {}  # project -> file of every project up() touched, for cleanup


def compose(*args, file=None, project=None, timeout=60, keep=KEEP_BYTES):
    """Runs `docker compose -p project -f file args…` in /work/submission: (exit_code, output tail); None on timeout."""
    file, project = file or _file_of(project), project or PROJECT
    with phase(f'compose {args[0]}' if args else 'compose'):
        return run_tail([*COMPOSE, '--ansi', 'never', '--progress', 'plain', '-p', project, '-f', file, *args], timeout, keep, env=ENV, cwd=SUBMISSION)


def _file_of(project):
    return _projects.get(project or PROJECT, FILE)


def up(file=FILE, project=PROJECT, build=True, timeout=None):
    """`docker compose up -d [--build]`: UpResult(ok, log, timed_out). The time left before the wall limit by default."""
    if not os.path.isfile(os.path.join(SUBMISSION, file)):
        return UpResult(False, f'There is no {file} in the submission.')
    _docker._normalise_modes(SUBMISSION)
    _projects[project] = file
    timeout = timeout or _docker._time_left()
    code, log = compose('up', '-d', '--quiet-pull', *(['--build'] if build else ['--no-build']), file=file, project=project, timeout=timeout)
    if code is None:
        log += f'\n(docker compose up did not finish within {timeout:.0f} s.)'
    return UpResult(code == 0, log, code is None)


def down(volumes=False, project=PROJECT, stop_timeout=10, timeout=60):
    """`docker compose down [-v] -t stop_timeout`: the containers and networks are removed; named volumes only with `volumes`."""
    code, log = compose('down', '--remove-orphans', '-t', stop_timeout, *(['-v'] if volumes else []), project=project, timeout=timeout)
    if code != 0:
        raise AssertionError(f'docker compose down failed:\n{tail(log, 8)}')
    return log


def ps(project=PROJECT):
    """The project's containers: a list of dicts (Name, Service, State, Running, Health, Id) from `docker inspect`."""
    code, out = compose('ps', '-q', project=project)
    ids = out.split() if code == 0 else []
    rows = []
    for cid in ids:
        c, fmt = _docker.docker('inspect', '--format',
                                '{{.Name}}|{{index .Config.Labels "com.docker.compose.service"}}|{{.State.Status}}|{{.State.Running}}|{{if .State.Health}}{{.State.Health.Status}}{{end}}', cid)
        if c == 0 and fmt.count('|') == 4:
            name, service, state, running, health = fmt.strip().split('|')
            rows.append({'Name': name.lstrip('/'), 'Service': service, 'State': state, 'Running': running == 'true', 'Health': health or None, 'Id': cid})
    return rows


def service_container(service, project=PROJECT):
    """The id of the service's (first) container, or None when it has none."""
    code, out = compose('ps', '-q', service, project=project)
    ids = out.split() if code == 0 else []
    return ids[0] if ids else None


def logs(service=None, project=PROJECT):
    """The output of one service (or of all) so far."""
    return compose('logs', '--no-color', *([service] if service else []), project=project)[1]


def exec(service, cmd, project=PROJECT, timeout=20):
    """`docker compose exec -T service cmd…`: docker.RunResult(exit_code, output); exit_code None on timeout."""
    cmd = [cmd] if isinstance(cmd, str) else list(cmd)
    return _docker.RunResult(*compose('exec', '-T', service, *cmd, project=project, timeout=timeout))


def wait_for_http(url=None, service=None, port=None, path='/', timeout=15, project=PROJECT):
    """Polls `url` (or http://127.0.0.1:<port><path>, the port `service` publishes) until it answers: (status, body).

    AssertionError after `timeout` s, or when `service`'s container stops (with its log tail)."""
    with phase('wait for http'):
        return _wait_for_http(url, service, port, path, timeout, project)


def _wait_for_http(url, service, port, path, timeout, project):
    if url is None:
        if port is None:
            raise ValueError('wait_for_http needs a url or a port')
        url = f'http://127.0.0.1:{port}{path}'
    deadline = time.monotonic() + timeout
    container = service_container(service, project) if service else None
    try:
        return _docker.wait_for_http(url, timeout=timeout, container=container)
    except AssertionError as e:
        if service and container is None:
            raise AssertionError(f'The service {service} has no container. Compose said:\n{tail(logs(project=project), 8, 800)}') from None
        if service and time.monotonic() < deadline:  # it stopped
            raise AssertionError(f'The service {service} stopped before answering on {url}. Its output:\n{tail(logs(service, project), 8, 800)}') from None
        raise e


def cleanup():
    """Takes down every project up() started, volumes included (at once, or before the next docker command:
    docker.defer_cleanup)."""
    _docker.defer_cleanup(_projects, lambda item: compose('down', '-v', '--remove-orphans', '-t', '1', file=item[1], project=item[0], timeout=60))


atexit.register(cleanup)
