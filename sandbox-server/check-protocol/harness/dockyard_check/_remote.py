"""What a check program holds of the submission: proxies of its module and functions, on the trusted side.

`sub.name` asks the student's process for the attribute: data comes back as a copy (lists, dicts, numbers, text),
a function as a Remote. `sub.name = value` sets it there; a function of the check program becomes a *provided*
function: the student's code calls a proxy, and this side runs the real one and records what it likes. Calling a
Remote gives a coroutine that runs the call on the student's event loop (inside run_async).
"""
import builtins
from ._agent import decode, encode

PROVIDED = []  # the check program's functions the student's code may call, by key (index)


class Opaque:
    """A value of the student's that does not cross the boundary as data: only its repr does."""

    def __init__(self, text):
        self.text = str(text)

    def __repr__(self):
        return self.text


class RemoteError(Exception):
    """An exception raised by the submission's code, rebuilt on this side."""


_classes = {}


def remote_exception(info):
    """The exception the student's code raised: a builtin type where it names one (so `except TimeoutError` works)."""
    if not isinstance(info, dict):
        return RemoteError('malformed error')
    name, message = str(info.get('type', 'Exception'))[:100], str(info.get('message', ''))[:2000]
    if name == 'CancelledError':
        import asyncio
        return asyncio.CancelledError(message)
    if name == 'SystemExit':
        return SystemExit(info.get('code'))
    if name == 'MemoryError':
        return MemoryError(message)
    base = getattr(builtins, name, None)
    if not (isinstance(base, type) and issubclass(base, Exception)):
        base = None
    key = (name, base)
    if key not in _classes:
        bases = (base, RemoteError) if base is not None and base is not Exception else (RemoteError,)
        try:
            _classes[key] = type(name, bases, {'__str__': lambda self: self.args[0] if self.args else ''})
        except TypeError:
            _classes[key] = type(name, (RemoteError,), {'__str__': lambda self: self.args[0] if self.args else ''})
    exc = _classes[key].__new__(_classes[key])
    exc.args = (message,)
    return exc


def provide(fn):
    """The key of a check-program function the student's code may call."""
    for i, f in enumerate(PROVIDED):
        if f is fn:
            return i
    PROVIDED.append(fn)
    return len(PROVIDED) - 1


def to_student(value, student):
    """Encodes a value sent to the student: Remotes by handle, the check program's callables as provided."""
    def handle(fn):
        if isinstance(fn, Remote):
            return fn._ref()
        import asyncio
        return {'$p' if asyncio.iscoroutinefunction(fn) else '$s': provide(fn)}
    return encode(value, handle)


def from_student(value, student):
    """Decodes a value from the student: functions become Remotes, other objects Opaque reprs."""
    tags = {
        '$f': lambda k: Remote(student, handle=k) if isinstance(k, int) else Opaque('<function>'),
        '$r': lambda text: Opaque(text),
        '$p': lambda k: Opaque('<provided function>'),
        '$s': lambda k: Opaque('<provided function>'),
    }
    return decode(value, tags)


class Remote:
    """The student's module or function. Attribute reads and writes go to the student's process."""

    def __init__(self, student, handle=None, path=None):
        object.__setattr__(self, '_student', student)
        object.__setattr__(self, '_handle', handle)
        object.__setattr__(self, '_path', path)
        object.__setattr__(self, '_generation', student.generation)

    def _ref(self):
        s = self._student
        s.ensure()
        if self._path is not None and (self._handle is None or self._generation != s.generation):
            return {'$a': list(self._path)}
        if self._generation != s.generation:
            raise RemoteError('this function belongs to a run of the program that has ended')
        return {'$f': self._handle}

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        s = self._student
        from ._vclock import current_run
        if current_run() is not None:
            # Inside a run the student's loop is busy: name the attribute; it is looked up when called.
            if self._path is None:
                raise RuntimeError("attributes of the submission's values are read outside run_async(...)")
            return Remote(s, path=(*self._path, name))
        s.ensure()
        reply = s.request({'t': 'get', 'obj': self._ref(), 'name': name})
        if not reply.get('ok'):
            raise remote_exception(reply.get('error'))
        value = from_student(reply.get('value'), s)
        if isinstance(value, Remote) and self._path is not None:
            object.__setattr__(value, '_path', (*self._path, name))
        return value

    def __setattr__(self, name, value):
        s = self._student
        s.ensure()
        encoded = to_student(value, s)
        reply = s.request({'t': 'set', 'obj': self._ref(), 'name': name, 'value': encoded})
        if not reply.get('ok'):
            raise remote_exception(reply.get('error'))
        if self._path is not None:
            s.history.append(('set', {'$a': list(self._path)}, name, encoded))

    def __call__(self, *args, **kwargs):
        from ._vclock import current_run
        run = current_run()
        if run is None:
            return remote_call(self, args, kwargs)
        # Inside a run the call is made at once (a callback the submission handed over works unawaited).
        return run.spawn(self, args, kwargs)

    def __repr__(self):
        return f"<submission's {'.'.join(self._path) if self._path else 'function'}>"


async def remote_call(fn, args, kwargs):
    """A call of the student's function, made on the student's event loop (inside run_async)."""
    from ._vclock import current_run
    run = current_run()
    if run is None:
        raise RuntimeError("the submission's functions run inside run_async(...)")
    return await run.spawn(fn, args, kwargs)
