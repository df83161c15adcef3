"""The virtual clock, on the trusted side: the student's event loop can only wait by asking it for time.

A run has two loops. This side's `VirtualClockLoop` runs the check program's coroutines and the provided functions
(a `fetch` that records when it starts and ends, for instance); the student's loop, in the student's process, runs
the submission's. The student's loop says when it is idle and until when it would sleep; this side's clock moves on
only while the student's loop is idle and nothing here is ready, to this side's next timer or the student's wake-up
time, whichever is first; it then delivers what finished (results of provided calls, new calls, signals) and tells
the student's loop the time. Elapsed time is this side's clock, whatever the student's process claims.
"""
import asyncio, signal, warnings
from ._agent import drop_cancelled, move_due
from ._remote import PROVIDED, from_student, remote_exception, to_student
from ._student import SINK, ProtocolError, StudentGone, current_student, drain_output

# CPU seconds the student's loop may use between two waits before it counts as blocking. CPU time, read from
# outside through /proc, not wall time: a busy machine stretches wall time, and a verdict must not depend on load.
BLOCK_LIMIT = 0.05
_state = {'run': None, 'last': None}


class BlockingCallError(AssertionError):
    """The coroutine blocked the event loop (time.sleep or a long synchronous step)."""


class StuckError(AssertionError):
    """Nothing the code waits for can ever happen."""


class VirtualClockLoop(asyncio.SelectorEventLoop):
    """Selector loop whose time() is virtual; holds the clock while the student's loop is busy."""

    def __init__(self):
        super().__init__()
        self._vtime = 0.0
        self.run = None  # the Run linking this loop to the student's process

    def time(self):
        return self._vtime

    def _run_once(self):
        sched = self._scheduled
        drop_cancelled(self)
        run = self.run
        if not self._ready and (run is None or run.idle):
            if run is not None and run.outbox:
                run.flush(self._vtime)
            else:
                wake = run.wake if run is not None else None
                if sched and (wake is None or sched[0]._when <= wake):
                    self._vtime = max(self._vtime, sched[0]._when)
                    move_due(self)
                elif wake is not None:
                    self._vtime = max(self._vtime, wake)
                    run.flush(self._vtime)
                elif run is not None and not run.dead:
                    run.stuck()
        super()._run_once()


class Run:
    """One run_async: the link between this side's loop and the student's loop."""

    def __init__(self, student, loop):
        self.student, self.loop = student, loop
        self.idle, self.wake, self.dead, self.closed = False, None, None, None
        self.outbox, self.spawns, self.calls = [], {}, {}
        self.blocked, self.slow, self.left, self.next_id = [], [], 0, 0
        self.mark = 0
        self.lines = []  # [virtual time, line] the submission printed (stdout), each line at the time it began
        self.partial = False

    def printed(self, fd, text):
        """Output is read before each message it preceded, so the clock still shows when it was printed."""
        if fd != self.student.out:
            return
        for piece in text.splitlines(keepends=True):
            if self.partial:
                self.lines[-1][1] += piece
            else:
                self.lines.append([self.loop.time(), piece])
            self.partial = not piece.endswith('\n')

    # -- this side -> student -------------------------------------------------------------------------------
    def open(self):
        s = self.student
        s.ensure()
        s.on_message = self.on_message
        SINK[0] = self.printed
        for fd in (s.rfd, *s.outputs):
            self.loop.add_reader(fd, self.readable, fd)
        s.send({'t': 'open', 'time': self.loop.time()})
        self.mark = s.cpu_ns()

    def flush(self, now):
        """Delivers the outbox to the idle student's loop, then the time: it is busy from here."""
        s, outbox = self.student, self.outbox
        self.outbox = []
        closing = False
        for msg in outbox:
            if msg.get('t') == 'signal':
                s.signal(msg['signal'])
            else:
                closing = closing or msg.get('t') == 'close'
                self.send(msg)
        if self.dead is None and not closing:
            self.send({'t': 'resume', 'time': now})
        if self.dead is None:
            self.idle = False
            self.mark = s.cpu_ns()

    def send(self, msg):
        if self.dead is not None:
            return
        try:
            self.student.send(msg)
        except (StudentGone, ProtocolError) as e:
            self.fail(e)

    def spawn(self, fn, args, kwargs):
        """Awaits fn(*args, **kwargs) on the student's loop."""
        self.next_id += 1
        sid = self.next_id
        fut = self.loop.create_future()
        if self.dead is not None:
            fut.set_exception(self.dead)
            return fut
        self.spawns[sid] = fut
        self.outbox.append({'t': 'spawn', 'id': sid, 'fn': fn._ref(), 'args': to_student(list(args), self.student),
                            'kw': to_student(kwargs, self.student)})

        async def wait():
            try:
                return await fut
            except asyncio.CancelledError:
                if sid in self.spawns:  # cancelled here, not by the student's code
                    self.outbox.append({'t': 'cancel', 'id': sid})
                raise
        return wait()

    def stuck(self):
        err = StuckError('the code waits for something that never happens (nothing it awaits can finish)')
        for fut in self.spawns.values():
            if not fut.done():
                fut.set_exception(err)
        self.spawns.clear()

    def fail(self, err):
        """The student's process ended or broke the protocol: everything waiting on it gets `err`."""
        if self.dead is not None:
            return
        self.dead = err
        self.idle, self.wake = True, None
        s = self.student
        for fd in (s.rfd, *s.outputs) if s.proc is not None else ():
            self.loop.remove_reader(fd)
        if isinstance(err, ProtocolError):
            s.kill()
        for fut in self.spawns.values():
            if not fut.done():
                fut.set_exception(err)
        self.spawns.clear()
        if self.closed is not None and not self.closed.done():
            self.closed.set_result(None)

    async def close(self):
        """Ends the student's loop once it is idle; returns the number of its tasks left unfinished."""
        if self.dead is None:
            self.closed = self.loop.create_future()
            self.outbox.append({'t': 'close'})
            await self.closed
        return self.left

    # -- student -> this side -------------------------------------------------------------------------------
    def readable(self, fd):
        s = self.student
        try:
            s.readable(fd)
            if fd != s.rfd and fd not in s.outputs:
                self.loop.remove_reader(fd)
        except (StudentGone, ProtocolError) as e:
            self.fail(e)

    def on_message(self, msg):
        try:
            self.dispatch(msg)
        except (KeyError, TypeError, ValueError, IndexError) as e:
            self.fail(ProtocolError(f'a malformed message ({type(e).__name__})'))

    def dispatch(self, msg):
        drain_output()
        t = msg['t']
        if t == 'wait':
            until = msg['until']
            if until is not None and not isinstance(until, (int, float)):
                raise ValueError('until')
            self.idle, self.wake = True, None if until is None else float(until)
            took = (self.student.cpu_ns() - self.mark) / 1e9
            if took > BLOCK_LIMIT:
                self.slow.append(took)
        elif t == 'call':
            cid = msg['id']
            fn = PROVIDED[msg['fn']] if isinstance(msg['fn'], int) and 0 <= msg['fn'] < len(PROVIDED) else None
            args = from_student(msg['args'], self.student)
            kwargs = from_student(msg['kw'], self.student)
            if fn is None or not isinstance(args, list) or not isinstance(kwargs, dict):
                raise ValueError('call')
            kwargs = {str(k): v for k, v in kwargs.items()}
            if msg.get('sync'):
                self.send(self.provided_now(cid, fn, args, kwargs))
            else:
                self.calls[cid] = self.loop.create_task(self.provided(cid, fn, args, kwargs))
        elif t == 'cancel':
            task = self.calls.get(msg['id'])
            if task is not None:
                task.cancel()
        elif t == 'done':
            fut = self.spawns.pop(msg['id'], None)
            if fut is not None and not fut.done():
                if msg['ok']:
                    fut.set_result(from_student(msg['value'], self.student))
                else:
                    fut.set_exception(remote_exception(msg['error']))
        elif t == 'blocked':
            seconds = msg['seconds']
            self.blocked.append(seconds if type(seconds) in (int, float) else str(seconds)[:50])
        elif t == 'closed':
            self.left = int(msg['left'])
            self.idle = True
            if self.closed is not None and not self.closed.done():
                self.closed.set_result(None)
        else:
            raise ValueError('type')

    def provided_now(self, cid, fn, args, kwargs):
        """Runs a plain provided function while the submission's loop waits for it."""
        try:
            value = fn(*args, **kwargs)
            if asyncio.iscoroutine(value):
                value.close()
                raise TypeError('a provided function the submission calls without await returned a coroutine')
            return {'t': 'result', 'id': cid, 'ok': True, 'value': to_student(value, self.student)}
        except Exception as e:
            return {'t': 'result', 'id': cid, 'ok': False, 'error': {'type': type(e).__name__, 'message': str(e)}}

    async def provided(self, cid, fn, args, kwargs):
        try:
            value = fn(*args, **kwargs)
            if asyncio.iscoroutine(value) or isinstance(value, asyncio.Future):
                value = await value
            reply = {'t': 'result', 'id': cid, 'ok': True, 'value': to_student(value, self.student)}
        except asyncio.CancelledError:
            reply = {'t': 'result', 'id': cid, 'ok': False, 'error': {'type': 'CancelledError', 'message': ''}}
        except Exception as e:
            reply = {'t': 'result', 'id': cid, 'ok': False, 'error': {'type': type(e).__name__, 'message': str(e)}}
        self.calls.pop(cid, None)
        self.outbox.append(reply)


def current_run():
    """The Run of the run_async in progress, or None."""
    return _state['run']


def send_signal(signum=signal.SIGTERM):
    """Sends a signal to the student's process at this virtual instant, from outside it (inside run_async)."""
    run = _state['run']
    if run is None:
        raise RuntimeError('send_signal works inside run_async(...)')
    run.outbox.append({'t': 'signal', 'signal': int(signum)})


def printed():
    """What the submission printed on stdout during the last run_async: [(virtual time, line)], newlines stripped."""
    run = _state['last']
    return [(t, line.rstrip('\n')) for t, line in run.lines] if run is not None else []


def tasks_left():
    """How many tasks the submission left unfinished on its loop when the last run_async ended (its own report)."""
    return _state['last'].left if _state['last'] is not None else 0


# A call of the submission's function made inside a run but never awaited (a callback) is not an error.
warnings.filterwarnings('ignore', message=r"coroutine 'Run\.spawn\.<locals>\.wait' was never awaited")


def run_async(awaitable):
    """Runs a coroutine (or a call of the submission's function) on a fresh virtual clock; returns (result, elapsed).

    Raises BlockingCallError when the submission called time.sleep on its loop or kept the loop busy for more than
    50 ms of CPU time between two waits. time.sleep in a thread (asyncio.to_thread) is fine: it waits in virtual time.
    """
    student = current_student()
    loop = VirtualClockLoop()
    run = Run(student, loop) if student is not None else None
    loop.run = run
    _state['run'], _state['last'] = run, run
    clean = False
    try:
        asyncio.set_event_loop(loop)
        if run is not None:
            run.open()
        error = None
        try:
            result = loop.run_until_complete(awaitable)
        except Exception as e:
            error = e
        elapsed = round(loop.time(), 9)
        if run is not None:
            loop.run_until_complete(run.close())
        clean = True
        if error is not None:
            raise error
    finally:
        _state['run'] = None
        if run is not None:
            s = run.student
            s.on_message = None
            drain_output()
            SINK[0] = None
            if s.proc is not None:
                for fd in (s.rfd, s.out, s.err):
                    loop.remove_reader(fd)
                if not clean or run.dead is not None:
                    s.kill()
        asyncio.set_event_loop(None)
        try:
            loop.close()
        except Exception:
            pass
    if run is not None and run.blocked:
        raise BlockingCallError(
            f'time.sleep({run.blocked[0]!r}) was called inside async code ({len(run.blocked)} call(s)): '
            'it blocks the whole event loop. Use `await asyncio.sleep(...)`, or move the blocking '
            'call to a thread with `await asyncio.to_thread(...)`.'
        )
    if run is not None and run.slow:
        raise BlockingCallError(
            f'a synchronous step kept the event loop busy for {max(run.slow) * 1000:.0f} ms of CPU time. '
            'Avoid blocking calls inside coroutines (use await, or asyncio.to_thread).'
        )
    return result, elapsed
