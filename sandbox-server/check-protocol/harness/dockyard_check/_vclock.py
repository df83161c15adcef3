"""A virtual-clock asyncio loop: time jumps to the next timer when nothing is ready."""
import asyncio, heapq, time

# CPU seconds one loop step may use before it counts as blocking. CPU time, not wall time: a busy
# machine stretches every step's wall time, and a verdict must not depend on the machine's load.
BLOCK_LIMIT = 0.05


class BlockingCallError(AssertionError):
    """The coroutine blocked the event loop (time.sleep or a long synchronous step)."""


class VirtualClockLoop(asyncio.SelectorEventLoop):
    """Selector loop whose time() is virtual; records loop steps that use too much CPU time."""

    def __init__(self):
        super().__init__()
        self._vtime = 0.0
        self.slow_steps = []

    def time(self):
        return self._vtime

    def _run_once(self):
        sched = self._scheduled
        while sched and sched[0]._cancelled:
            handle = heapq.heappop(sched)
            handle._scheduled = False
            self._timer_cancelled_count -= 1
        if not self._ready and sched:
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

    Raises BlockingCallError when the code called time.sleep or kept the loop busy for more
    than 50 ms of CPU time in one step.
    """
    loop = VirtualClockLoop()
    sleeps = []
    real_sleep = time.sleep

    def fake_sleep(seconds):
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
            'it blocks the whole event loop. Use `await asyncio.sleep(...)` instead.'
        )
    if loop.slow_steps:
        worst = max(loop.slow_steps) * 1000
        raise BlockingCallError(
            f'a synchronous step kept the event loop busy for {worst:.0f} ms of CPU time. '
            'Avoid blocking calls inside coroutines (use await, or asyncio.to_thread).'
        )
    return result, elapsed
