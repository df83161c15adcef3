import asyncio
import signal

from dockyard_check import check, load_submission, run_async

sub = load_submission('main.py')


def term_after(seconds):
    """Runs main(done), sends this process SIGTERM after `seconds`; returns (outcome, done, seconds after SIGTERM)."""
    ignored = []
    # A stand-in handler, so a submission that installs none keeps running instead of being killed.
    signal.signal(signal.SIGTERM, lambda signum, frame: ignored.append(signum))

    async def scenario():
        done = []
        task = asyncio.create_task(sub.main(done))
        await asyncio.sleep(seconds)
        assert not task.done(), f'main() returned after {seconds:g} s, before any SIGTERM was sent'
        signal.raise_signal(signal.SIGTERM)
        # A real loop sees the signal at once; the virtual clock would jump to the next timer
        # before polling for it, so give the loop a few turns at the same instant first.
        for _ in range(3):
            await asyncio.sleep(0)
        try:
            await asyncio.wait_for(task, 10)
            return 'returned', done
        except (TimeoutError, asyncio.TimeoutError):
            return 'still running', done
        except asyncio.CancelledError:
            if not task.cancelled():
                raise
            return 'cancelled', done

    try:
        (outcome, done), elapsed = run_async(scenario())
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    assert outcome != 'still running', 'main() was still running 10 seconds after SIGTERM'
    assert outcome != 'cancelled', f'main() was cancelled by SIGTERM, which cut the job in progress short (finished: {done!r})'
    return done, elapsed - seconds


@check('main() returns after SIGTERM', hint='In main: asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set), and make serve stop once `stop` is set.')
def _():
    term_after(2.5)


@check('the job in progress is finished, and no new one is started', hint='Check `stop.is_set()` between two jobs (`while not stop.is_set():`), not by cancelling the job.')
def _():
    done, after = term_after(2.5)
    assert done == [0, 1, 2], f'finished jobs were {done!r}, expected [0, 1, 2]: job 2 was in progress when SIGTERM came'
    assert after == 0.5, f'main() returned {after:g} s after SIGTERM, expected 0.5 (when job 2 ends)'


@check('a SIGTERM during the first job ends after that job', hint='The stop event must be set by the signal handler as soon as SIGTERM arrives.')
def _():
    done, after = term_after(0.25)
    assert done == [0], f'finished jobs were {done!r}, expected [0]'
    assert after == 0.75, f'main() returned {after:g} s after SIGTERM, expected 0.75'
