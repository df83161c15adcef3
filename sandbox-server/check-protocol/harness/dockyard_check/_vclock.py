"""A virtual-clock asyncio loop: time jumps to the next timer when nothing is ready."""
import asyncio, heapq, threading, time

# CPU seconds one loop step may use before it counts as blocking. CPU time, not wall time: a busy
# machine stretches every step's wall time, and a verdict must not depend on the machine's load.
BLOCK_LIMIT = 0.05

# Set in a worker thread of the loop's executor while it runs a job (asyncio.to_thread, run_in_executor).
_job = threading.local()


class BlockingCallError(AssertionError):
    """The coroutine blocked the event loop (time.sleep or a long synchronous step)."""


class VirtualClockLoop(asyncio.SelectorEventLoop):
    """Selector loop whose time() is virtual; records loop steps that use too much CPU time.

    Work handed to a thread (asyncio.to_thread) runs for real, and a time.sleep there waits in
    virtual time: the clock only jumps ahead once every such job is waiting in a sleep, so the
    result does not depend on how fast the threads happen to run.
    """

    def __init__(self):
        super().__init__()
        self._vtime = 0.0
        self.slow_steps = []
        self._jobs = 0  # executor jobs not yet finished (counted on the loop's thread)
        self._parked = 0  # of those, how many wait in a virtual time.sleep

    def time(self):
        return self._vtime

    def run_in_executor(self, executor, func, *args):
        def job():
            _job.loop = self
            try:
                return func(*args)
            finally:
                _job.loop = None

        self._jobs += 1
        future = super().run_in_executor(executor, job)
        # Runs on the loop's thread once the result is in, so the clock never jumps past a finished job.
        future.add_done_callback(self._job_done)
        return future

    def _job_done(self, _future):
        self._jobs -= 1

    def sleep_in_job(self, seconds):
        """time.sleep in a job's thread: wait until the virtual clock has moved `seconds` on."""
        woken = threading.Event()

        def wake():
            self._parked -= 1
            woken.set()

        def park():
            self._parked += 1
            self.call_at(self._vtime + max(0.0, float(seconds)), wake)

        self.call_soon_threadsafe(park)
        woken.wait()

    def _run_once(self):
        sched = self._scheduled
        while sched and sched[0]._cancelled:
            handle = heapq.heappop(sched)
            handle._scheduled = False
            self._timer_cancelled_count -= 1
        if not self._ready and sched and self._parked >= self._jobs:
            self._vtime = max(self._vtime, sched[0]._when)
            # Move due timers ourselves: at large times vtime + clock resolution == vtime in floats.
            while sched and sched[0]._when <= self._vtime:
                handle = heapq.heappop(sched)
                handle._scheduled = False
                self._ready.append(handle)
        start = time.thread_time()
        super()._run_once()
        took = time.thread_time() - start
        if took > BLOCK_LIMIT:
            self.slow_steps.append(took)


def run_async(awaitable):
    """Runs a coroutine on a fresh virtual-clock loop; returns (result, elapsed virtual seconds).

    Raises BlockingCallError when the code called time.sleep on the loop or kept the loop busy
    for more than 50 ms of CPU time in one step. time.sleep in a thread (asyncio.to_thread) is
    fine: it waits in virtual time.
    """
    loop = VirtualClockLoop()
    sleeps = []
    real_sleep = time.sleep

    def fake_sleep(seconds):
        owner = getattr(_job, 'loop', None)
        if owner is not None:
            owner.sleep_in_job(seconds)
        else:
            sleeps.append(seconds)

    time.sleep = fake_sleep
    try:
        asyncio.set_event_loop(loop)
        start = loop.time()
        result = loop.run_until_complete(awaitable)
        elapsed = round(loop.time() - start, 9)
    finally:
        time.sleep = real_sleep
        asyncio.set_event_loop(None)
        try:
            loop.close()
        except Exception:
            pass
    if sleeps:
        raise BlockingCallError(
            f'time.sleep({sleeps[0]!r}) was called inside async code ({len(sleeps)} call(s)): '
            'it blocks the whole event loop. Use `await asyncio.sleep(...)`, or move the blocking '
            'call to a thread with `await asyncio.to_thread(...)`.'
        )
    if loop.slow_steps:
        worst = max(loop.slow_steps) * 1000
        raise BlockingCallError(
            f'a synchronous step kept the event loop busy for {worst:.0f} ms of CPU time. '
            'Avoid blocking calls inside coroutines (use await, or asyncio.to_thread).'
        )
    return result, elapsed
