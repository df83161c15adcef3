"""Docker helpers for dockerfile checks: build the submission, read the image, run it (stdlib only)."""
import json, os, subprocess, threading, time, urllib.error, urllib.request
from collections import namedtuple
from contextlib import contextmanager

from ._channel import emit

DOCKER = '/usr/bin/docker'
SUBMISSION = '/work/submission'
# A clean environment for every docker command; builds use BuildKit (the engine's default builder) with plain logs.
ENV = {'PATH': '/usr/sbin:/usr/bin:/sbin:/bin', 'HOME': '/root', 'LANG': 'C.UTF-8', 'BUILDKIT_PROGRESS': 'plain'}
KEEP_BYTES = 64 * 1024
# The sandbox runner writes _sandbox_limits.py (WALL_SECONDS); a build must end RESERVE s before the wall.
try:
    from ._sandbox_limits import WALL_SECONDS
except ImportError:
    WALL_SECONDS = None
# DISPOSABLE: the sandbox is thrown away once the check ends (a dockerfile or compose check's own sandbox), so a
# cleanup can wait until the next docker command, and the last one need not run at all (see defer_cleanup).
try:
    from ._sandbox_limits import DISPOSABLE
except ImportError:
    DISPOSABLE = False
RESERVE = 10
_T0 = time.monotonic()
# Where a timed-out build is recorded; the runner turns it into an error/timeout verdict.
TIMEOUT_MARKER = '/run/dockyard-check/build-timeout'

BuildResult = namedtuple('BuildResult', 'ok log image_id timed_out', defaults=(False,))
RunResult = namedtuple('RunResult', 'exit_code output')

_builds = {}
_started = []
_phase_depth = [0]
_deferred = []  # cleanups put off until the next docker command (DISPOSABLE sandboxes only)


def defer_cleanup(items, remove_one):
    """Takes what `items` (a list, or a dict's (key, value) pairs) holds, emptying it, and removes each, newest
    first, with `remove_one`, as one `cleanup` phase: now, or, in a DISPOSABLE sandbox, just before the next docker
    or compose command of the check. Whatever a later check runs still finds the earlier check's leftovers gone;
    the cleanup after the last check is never waited for, since the sandbox's removal takes everything with it."""
    taken = list(items.items() if isinstance(items, dict) else items)[::-1]
    items.clear()

    def remove():
        with phase('cleanup'):
            for item in taken:
                remove_one(item)

    if DISPOSABLE:
        _deferred.append(remove)
    else:
        remove()


def _run_deferred():
    pending = _deferred[:]
    _deferred.clear()
    for remove in pending:
        remove()


@contextmanager
def phase(name):
    """Times what runs inside as one phase of the check (build, run, wait for http, …): a `phase` record with
    its milliseconds, summed by name into the verdict's resources.phases_ms. Phases inside a phase are not
    recorded apart (a wait's `docker inspect` counts as waiting)."""
    if _phase_depth[0]:
        yield
        return
    _phase_depth[0] += 1
    started = time.monotonic()
    try:
        yield
    finally:
        _phase_depth[0] -= 1
        emit({'type': 'phase', 'name': name, 'ms': round((time.monotonic() - started) * 1000)})


def run_tail(argv, timeout, keep=KEEP_BYTES, env=ENV, cwd=None):
    """Runs argv with a clean environment; returns (exit_code, the last `keep` bytes of output as text);
    exit_code is None when it timed out (the process is killed). Cleanups put off by defer_cleanup run first."""
    if _deferred:
        _run_deferred()
    proc = subprocess.Popen([*map(str, argv)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env, cwd=cwd, close_fds=True)
    buf = bytearray()

    def pump():
        for chunk in iter(lambda: proc.stdout.read1(65536), b''):
            buf.extend(chunk)
            if len(buf) > keep:
                del buf[: len(buf) - keep]

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        code = None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        reader.join(2)
    return code, bytes(buf).decode('utf-8', 'replace')


def docker(*args, timeout=30, keep=KEEP_BYTES):
    """Runs `docker args…`; returns (exit_code, output tail); exit_code is None when it timed out."""
    with phase(f'docker {args[0]}' if args else 'docker'):
        return run_tail([DOCKER, *args], timeout, keep)


def tail(text, lines=15, chars=1500):
    """The last lines of a log, at most `chars` characters."""
    return '\n'.join(text.rstrip().splitlines()[-lines:])[-chars:]


def _normalise_modes(context):
    # Submitted files arrive 0600 (root); make them 0644/0755 as a git checkout would, so a non-root USER can read them.
    for root, dirs, files in os.walk(context):
        os.chmod(root, 0o755)
        for f in files:
            path = os.path.join(root, f)
            if not os.path.islink(path):
                os.chmod(path, 0o644)


def _time_left():
    if WALL_SECONDS is None:
        return 3600
    return max(5.0, WALL_SECONDS - RESERVE - (time.monotonic() - _T0))


def _mark_timeout(seconds):
    try:
        os.makedirs(os.path.dirname(TIMEOUT_MARKER), exist_ok=True)
        with open(TIMEOUT_MARKER, 'w') as f:
            f.write(f'{seconds:.0f}\n')
    except OSError:
        pass


def build(context=SUBMISSION, tag='submission', timeout=None):
    """Builds `context` as `tag` once (later calls return the same result): BuildResult(ok, log, image_id, timed_out).

    Without `timeout`, the build gets what is left of the sandbox wall limit minus RESERVE seconds."""
    key = (context, tag)
    if key in _builds:
        return _builds[key]
    if not os.path.isfile(os.path.join(context, 'Dockerfile')):
        result = BuildResult(False, 'There is no Dockerfile in the submission.', None)
    else:
        with phase('build'):
            result = _build(context, tag, timeout)
    _builds[key] = result
    return result


def _build(context, tag, timeout):
    _normalise_modes(context)
    timeout = timeout or _time_left()
    code, log = docker('build', '--progress=plain', '-t', tag, context, timeout=timeout)
    if code is None:
        log += f'\n(The build did not finish within {timeout:.0f} s: a RUN step that never ends, or one waiting for a network the sandbox does not have?)'
        _mark_timeout(timeout)
    image_id = None
    if code == 0:
        c, out = docker('image', 'inspect', '--format', '{{.Id}}', tag)
        image_id = out.strip() if c == 0 else None
    return BuildResult(code == 0 and image_id is not None, log, image_id, code is None)


def require_image(tag='submission'):
    """Fails the current check (AssertionError) unless `tag` was built successfully."""
    built = [r for (c, t), r in _builds.items() if t == tag]
    if not built or not built[-1].ok:
        raise AssertionError('Skipped: the image did not build (see the first check).')
    return built[-1]


def inspect_image(tag='submission'):
    """`docker image inspect` of `tag` as a dict; AssertionError when there is no such image."""
    code, out = docker('image', 'inspect', tag)
    if code != 0:
        raise AssertionError(f'There is no image {tag}: {tail(out, 2)}')
    return json.loads(out)[0]


def has_image(tag):
    """Whether the engine has an image `tag` (nothing is pulled)."""
    return docker('image', 'inspect', '--format', '{{.Id}}', tag)[0] == 0


def config(tag='submission'):
    """The image's Config: WorkingDir, User, Cmd, Entrypoint, ExposedPorts, Env, …"""
    return inspect_image(tag).get('Config') or {}


def layers(tag='submission'):
    """The image's layer digests, base first."""
    return list((inspect_image(tag).get('RootFS') or {}).get('Layers') or [])


def based_on(tag, base):
    """Whether image `tag` starts with every layer of image `base`; BuildKit keeps no local copy of a FROM
    image, so `base` is pulled (from the course mirror) when absent; False when it cannot be."""
    with phase('pull'):
        pulled = has_image(base) or docker('pull', '-q', base, timeout=60)[0] == 0
    if not pulled:
        return False
    mine, theirs = layers(tag), layers(base)
    return len(mine) >= len(theirs) and mine[: len(theirs)] == theirs


def history(tag='submission'):
    """`docker history` of `tag`, newest first: dicts with CreatedBy, Size, …"""
    code, out = docker('history', '--no-trunc', '--format', '{{json .}}', tag)
    if code != 0:
        raise AssertionError(f'No history for {tag}: {tail(out, 2)}')
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def image_size(tag='submission'):
    """The image's size in bytes."""
    return int(inspect_image(tag).get('Size') or 0)


def _name():
    return f'dockyard-check-{os.getpid()}-{len(_started)}-{int(time.time() * 1000) % 100000}'


def run(image='submission', args=(), timeout=20, options=()):
    """Runs the image to completion (`docker run --rm [options] image args…`): RunResult(exit_code, output); exit_code None on timeout."""
    name = _name()
    _started.append(name)
    with phase('run'):
        code, out = docker('run', '--rm', '--name', name, *options, image, *args, timeout=timeout)
        if code is None:
            docker('rm', '-f', name)
    return RunResult(code, out)


def run_detached(image='submission', ports=(), args=(), options=()):
    """Starts the image in the background, publishing `ports` (ints or 'host:container'); returns the container id."""
    name = _name()
    _started.append(name)
    published = [x for p in ports for x in ('-p', f'{p}:{p}' if isinstance(p, int) else p)]
    with phase('run'):
        code, out = docker('run', '-d', '--name', name, *published, *options, image, *args)
    if code != 0:
        raise AssertionError(f'docker run failed: {tail(out, 5)}')
    return out.strip().splitlines()[-1]


def process_uid(container):
    """The user id the container's main process runs as (read from /proc in the sandbox, where the nested
    engine's processes are visible), or None when the container is not running."""
    code, out = docker('inspect', '--format', '{{.State.Pid}}', container)
    pid = out.strip().splitlines()[-1] if code == 0 and out.strip() else '0'
    if not pid.isdigit() or pid == '0':
        return None
    try:
        with open(f'/proc/{pid}/status') as f:
            for line in f:
                if line.startswith('Uid:'):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def logs(container):
    """The container's output so far."""
    return docker('logs', container)[1]


def running(container):
    """Whether the container is still running."""
    code, out = docker('inspect', '--format', '{{.State.Running}}', container)
    return code == 0 and out.strip() == 'true'


def wait_for_http(url, timeout=15, container=None):
    """Polls `url` until it answers; returns (status, body text); AssertionError after `timeout` s or when `container` stops."""
    with phase('wait for http'):
        return _wait_for_http(url, timeout, container)


def _wait_for_http(url, timeout, container):
    deadline, last = time.monotonic() + timeout, 'no answer'
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.status, r.read(65536).decode('utf-8', 'replace')
        except urllib.error.HTTPError as e:
            return e.code, e.read(65536).decode('utf-8', 'replace')
        except OSError as e:
            last = str(e)
        if container and not running(container):
            raise AssertionError(f'The container stopped before answering on {url}. Its output:\n{tail(logs(container), 8, 800)}')
        time.sleep(0.1)
    raise AssertionError(f'Nothing answered on {url} within {timeout:g} s ({last}).')


def cleanup():
    """Removes every container these helpers started (at once, or before the next docker command: defer_cleanup)."""
    defer_cleanup(_started, lambda name: docker('rm', '-f', name))
