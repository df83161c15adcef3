"""The student's side of the boundary: imports the submission in a process of its own and runs what the check asks.

Started by the trusted harness as `python3 -I -B -u -c <this file> <read fd> <write fd>` under another uid. It holds
nothing worth forging: the verdict is decided on the trusted side from what crosses the pipe (values, calls to the
provided functions, requests for time). Its event loop's clock is the trusted side's: when nothing is ready it asks
for time and waits. The wire helpers at the top are shared with the trusted side.
"""
import json

MAX_LINE = 1 << 20  # bytes in one message, either way


def encode(value, handle=None, depth=0):
    """A JSON-able form of value: dicts as {"$d": pairs}, tuples {"$t"}, callables via handle(), else {"$r": repr}."""
    if depth > 50:
        return {'$r': '...'}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return value if type(value) in (int, float, bool) else {'$r': repr(value)[:300]}
    if isinstance(value, list):
        return [encode(v, handle, depth + 1) for v in value]
    if isinstance(value, tuple):
        return {'$t': [encode(v, handle, depth + 1) for v in value]}
    if isinstance(value, dict):
        return {'$d': [[encode(k, handle, depth + 1), encode(v, handle, depth + 1)] for k, v in value.items()]}
    if callable(value) and handle is not None:
        return handle(value)
    try:
        text = repr(value)
    except BaseException:
        text = '<unprintable>'
    return {'$r': text[:300]}


def decode(value, tags, depth=0):
    """The inverse of encode; tags maps '$f', '$p', '$s', '$a', '$r' to functions of the tag's value."""
    if depth > 60:
        raise ValueError('value nested too deep')
    if isinstance(value, list):
        return [decode(v, tags, depth + 1) for v in value]
    if isinstance(value, dict):
        if len(value) != 1:
            raise ValueError('malformed value')
        (tag, inner), = value.items()
        if tag == '$t' and isinstance(inner, list):
            return tuple(decode(v, tags, depth + 1) for v in inner)
        if tag == '$d' and isinstance(inner, list):
            out = {}
            for pair in inner:
                if not (isinstance(pair, list) and len(pair) == 2):
                    raise ValueError('malformed mapping')
                key = decode(pair[0], tags, depth + 1)
                try:
                    out[key] = decode(pair[1], tags, depth + 1)
                except TypeError:
                    raise ValueError('unhashable key')
            return out
        if tag in tags:
            return tags[tag](inner)
        raise ValueError('unknown tag')
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError('malformed value')


def drop_cancelled(loop):
    """Pops cancelled timers off the head of an event loop's schedule."""
    import heapq
    sched = loop._scheduled
    while sched and sched[0]._cancelled:
        handle = heapq.heappop(sched)
        handle._scheduled = False
        loop._timer_cancelled_count -= 1


def move_due(loop):
    """Moves the timers due at the loop's virtual time to its ready queue (at large times vtime + the clock's
    resolution == vtime in floats, so the base loop would never see them due)."""
    import heapq
    sched = loop._scheduled
    while sched and sched[0]._when <= loop._vtime:
        handle = heapq.heappop(sched)
        handle._scheduled = False
        loop._ready.append(handle)


def error_of(exc):
    """How an exception crosses the boundary."""
    try:
        message = str(exc)
    except BaseException:
        message = ''
    info = {'type': type(exc).__name__, 'message': message[:2000]}
    if isinstance(exc, SystemExit):
        info['code'] = exc.code if isinstance(exc.code, (int, str, type(None))) else repr(exc.code)
    return info


def _agent():
    import asyncio, builtins, importlib.util, os, resource, signal, sys, threading, time

    rfd, wfd = int(sys.argv[1]), int(sys.argv[2])
    real_sleep = time.sleep
    buffered = [b'']

    def send(msg):
        data = (json.dumps(msg, ensure_ascii=True) + '\n').encode('ascii')
        while data:
            data = data[os.write(wfd, data):]

    def receive():
        while b'\n' not in buffered[0]:
            chunk = os.read(rfd, 65536)
            if not chunk:
                os._exit(0)  # the trusted side is gone
            buffered[0] += chunk
        line, _, buffered[0] = buffered[0].partition(b'\n')
        return json.loads(line)

    functions = {}  # handle -> a callable of the submission the trusted side may call

    def handle(fn):
        key = len(functions) + 1
        functions[key] = fn
        return {'$f': key}

    def out(value):
        try:
            return encode(value, handle)
        except BaseException as e:
            return {'$r': f'<value that cannot be sent: {type(e).__name__}>'}

    loop_box = [None]  # the event loop of the current run

    def provided(key):
        async def call(*args, **kwargs):
            loop = loop_box[0]
            if loop is None:
                raise RuntimeError('a provided function can only be awaited while the check runs your code')
            return await loop.provided_call(key, args, kwargs)
        return call

    def thrown(info):
        name = info.get('type') if isinstance(info, dict) else None
        message = info.get('message', '') if isinstance(info, dict) else ''
        if name == 'CancelledError':
            return asyncio.CancelledError(message)
        kind = getattr(builtins, name, None) if isinstance(name, str) else None
        if not (isinstance(kind, type) and issubclass(kind, Exception)):
            kind = RuntimeError
        return kind(message)

    def attribute(path):
        obj = sys.modules[path[0]]
        for name in path[1:]:
            obj = getattr(obj, name)
        return obj

    def provided_sync(key):
        def call(*args, **kwargs):
            loop = loop_box[0]
            if loop is None:
                raise RuntimeError('a provided function can only be called while the check runs your code')
            return loop.provided_sync_call(key, args, kwargs)
        return call

    tags = {'$p': provided, '$s': provided_sync, '$f': lambda k: functions[k], '$a': attribute, '$r': lambda text: text}
    job = threading.local()

    class BoundaryLoop(asyncio.SelectorEventLoop):
        """A selector loop whose clock is the trusted side's: when idle, it asks for time and waits for it."""

        def __init__(self, start, selector):
            super().__init__(selector)
            self._vtime = start
            self._jobs = 0  # handed to a thread, not finished
            self._queued = 0  # of those, not yet started by a worker
            self._parked = 0  # of those, waiting in a virtual time.sleep
            self._workers = 1 << 30
            self._lock = threading.Lock()
            self._calls = {}  # provided call id -> future
            self._spawned = {}  # spawn id -> task
            self._next = 0
            self.closing = False
            self.closed = self.create_future()

        def time(self):
            return self._vtime

        def provided_call(self, key, args, kwargs):
            self._next += 1
            cid = self._next
            fut = self.create_future()
            self._calls[cid] = fut
            send({'t': 'call', 'id': cid, 'fn': key, 'args': out(list(args)), 'kw': out(kwargs)})

            async def wait():
                try:
                    return await fut
                except asyncio.CancelledError:
                    if not fut.done() or fut.cancelled():
                        send({'t': 'cancel', 'id': cid})
                    raise
                finally:
                    self._calls.pop(cid, None)
            return wait()

        def provided_sync_call(self, key, args, kwargs):
            """A provided plain function: the trusted side answers at once, at this same virtual instant."""
            self._next += 1
            cid = self._next
            send({'t': 'call', 'id': cid, 'fn': key, 'args': out(list(args)), 'kw': out(kwargs), 'sync': True})
            while True:
                msg = receive()
                if msg.get('t') == 'result' and msg.get('id') == cid:
                    if msg.get('ok'):
                        return decode(msg.get('value'), tags)
                    raise thrown(msg.get('error'))
                self._dispatch(msg)

        def run_in_executor(self, executor, func, *args):
            def run():
                with self._lock:
                    self._queued -= 1
                job.loop = self
                try:
                    return func(*args)
                finally:
                    job.loop = None
            if executor is None and self._default_executor is None:
                import concurrent.futures
                self._default_executor = concurrent.futures.ThreadPoolExecutor(thread_name_prefix='asyncio')
            pool = executor if executor is not None else self._default_executor
            self._workers = getattr(pool, '_max_workers', 1 << 30)
            with self._lock:
                self._jobs += 1
                self._queued += 1
            fut = super().run_in_executor(executor, run)
            fut.add_done_callback(self._job_done)
            return fut

        def _job_done(self, _fut):
            with self._lock:
                self._jobs -= 1

        def jobs_waiting(self):
            """True when every job handed to a thread waits in a virtual sleep, or waits for a thread that does."""
            with self._lock:
                started = self._jobs - self._queued
                return self._parked >= started and (self._queued == 0 or started >= self._workers)

        def sleep_in_job(self, seconds):
            woken = threading.Event()

            def wake():
                self._parked -= 1
                woken.set()

            def park():
                self._parked += 1
                self.call_at(self._vtime + max(0.0, float(seconds)), wake)
            self.call_soon_threadsafe(park)
            woken.wait()

        def _dispatch(self, msg):
            t = msg.get('t')
            if t == 'resume':
                self._vtime = max(self._vtime, float(msg['time']))
                return True
            if t == 'result':
                fut = self._calls.get(msg['id'])
                if fut is not None and not fut.done():
                    if msg.get('ok'):
                        fut.set_result(decode(msg.get('value'), tags))
                    else:
                        fut.set_exception(thrown(msg.get('error')))
            elif t == 'spawn':
                self._spawned[msg['id']] = self.create_task(self._run_spawn(msg))
            elif t == 'cancel':
                task = self._spawned.get(msg['id'])
                if task is not None:
                    task.cancel()
            elif t == 'close':
                self.closing = True
                if not self.closed.done():
                    self.closed.set_result(None)
                return True
            return False

        async def _run_spawn(self, msg):
            sid = msg['id']
            try:
                fn = decode(msg['fn'], tags)
                value = fn(*decode(msg.get('args', []), tags), **decode(msg.get('kw', {'$d': []}), tags))
                if asyncio.iscoroutine(value) or isinstance(value, asyncio.Future):
                    value = await value
                reply = {'t': 'done', 'id': sid, 'ok': True, 'value': out(value)}
            except asyncio.CancelledError as e:
                reply = {'t': 'done', 'id': sid, 'ok': False, 'error': {'type': 'CancelledError', 'message': str(e)}}
            except BaseException as e:
                reply = {'t': 'done', 'id': sid, 'ok': False, 'error': error_of(e)}
            self._spawned.pop(sid, None)
            send(reply)

        def _run_once(self):
            sched = self._scheduled
            drop_cancelled(self)
            if not self._ready and self.jobs_waiting() and not self.closing:
                send({'t': 'wait', 'until': sched[0]._when if sched else None})
                while not self._dispatch(receive()):
                    pass
                move_due(self)
            super()._run_once()

    class Selector(__import__('selectors').DefaultSelector):
        """Never waits in real time, except for work handed to threads."""
        loop = None

        def select(self, timeout=None):
            loop = self.loop
            if loop is not None and not loop.jobs_waiting() and not loop.closing:
                return super().select(timeout)
            return super().select(0)

    def fake_sleep(seconds):
        owner = getattr(job, 'loop', None)
        if owner is not None:
            owner.sleep_in_job(seconds)
        elif loop_box[0] is not None:
            send({'t': 'blocked', 'seconds': seconds if type(seconds) in (int, float) else repr(seconds)[:50]})
        else:
            real_sleep(seconds)

    def run_loop(start):
        selector = Selector()
        loop = BoundaryLoop(start, selector)
        selector.loop = loop
        loop_box[0] = loop
        asyncio.set_event_loop(loop)
        time.sleep = fake_sleep
        try:
            loop.run_until_complete(loop.closed)
            mine = set(loop._spawned.values())
            left = [t for t in asyncio.all_tasks(loop) if not t.done() and t not in mine]
            send({'t': 'closed', 'left': len(left) + len(mine)})
        finally:
            time.sleep = real_sleep
            loop_box[0] = None
            asyncio.set_event_loop(None)

    def write_files(files):
        for rel, text in files.items():
            path = os.path.join('/work', rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if os.path.lexists(path):  # a new process after the last one ended: the submission as it was sent
                os.unlink(path)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, 'w', encoding='utf-8') as f:
                f.write(text)

    def import_file(filename):
        name = os.path.splitext(os.path.basename(filename))[0]
        path = os.path.join('/work', filename)
        if not os.path.isfile(path):
            return {'ok': False, 'kind': 'runtime', 'message': f'{filename} is missing from the submission.'}
        try:
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
        except SyntaxError as e:
            where = f'line {e.lineno}' if e.lineno else 'unknown line'
            return {'ok': False, 'kind': 'syntax', 'message': f'SyntaxError in {filename} ({where}): {e.msg}'}
        except MemoryError:
            return {'ok': False, 'kind': 'memory', 'message': f'Importing {filename} ran out of memory.'}
        except SystemExit as e:
            return {'ok': False, 'kind': 'runtime', 'message': f'{filename} called sys.exit({e.code!r}) while being imported; '
                    'keep top-level code inside `if __name__ == "__main__":`.'}
        except BaseException as e:
            return {'ok': False, 'kind': 'runtime', 'message': f'{filename} raised {type(e).__name__} while being imported: {e}'}
        return {'ok': True, 'value': handle(module)}

    def control(msg):
        t = msg.get('t')
        if t == 'import':
            return import_file(msg['file'])
        if t == 'get':
            try:
                obj = decode(msg['obj'], tags)
                return {'ok': True, 'value': out(getattr(obj, msg['name']))}
            except BaseException as e:
                return {'ok': False, 'error': error_of(e)}
        if t == 'set':
            try:
                obj = decode(msg['obj'], tags)
                setattr(obj, msg['name'], decode(msg['value'], tags))
                return {'ok': True}
            except BaseException as e:
                return {'ok': False, 'error': error_of(e)}
        return {'ok': False, 'error': {'type': 'RuntimeError', 'message': 'unknown request'}}

    boot = receive()
    memory = boot.get('memory_bytes')
    # Under RLIMIT_AS, threads (asyncio.to_thread) must not reserve address space by the 64 MiB: a thread's
    # stack is 1 MiB, and malloc keeps to two arenas, so how many threads happen to be alive at once under load
    # does not decide whether the next one can start.
    threading.stack_size(1 << 20)
    try:
        import ctypes
        ctypes.CDLL(None).mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass
    if memory:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        except (ValueError, OSError):
            pass
    write_files(boot.get('files', {}))
    os.chdir('/work')
    sys.path.append('/work')
    send({'t': 'ready'})
    while True:
        msg = receive()
        if msg.get('t') == 'open':
            run_loop(float(msg.get('time', 0.0)))
            continue
        reply = control(msg)
        reply['t'] = 'reply'
        send(reply)


if __name__ == '__main__':
    _agent()
