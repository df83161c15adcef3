import asyncio
import signal

from dockyard_check import StudentGone, check, load_submission, run_async, send_signal

sub = load_submission('main.py')


def term_after(seconds):
    """Runs main(done) with the check's own handle (one second a job), sends the program SIGTERM after `seconds`;
    returns (the jobs whose handle finished, seconds from SIGTERM until main returned)."""
    jobs = {'started': [], 'finished': []}

    async def handle(job):
        jobs['started'].append(job)
        await asyncio.sleep(1)
        jobs['finished'].append(job)

    sub.handle = handle

    async def scenario():
        task = asyncio.create_task(sub.main([]))
        await asyncio.sleep(seconds)
        assert not task.done(), f'main() returned after {seconds:g} s, before any SIGTERM was sent'
        # From outside the program's process, as an orchestrator stopping a container would.
        send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(task, 10)
            return 'returned'
        except (TimeoutError, asyncio.TimeoutError):
            return 'still running'
        except StudentGone:
            return 'killed'
        except asyncio.CancelledError:
            if not task.cancelled():
                raise
            return 'cancelled'

    outcome, elapsed = run_async(scenario())
    finished = jobs['finished']
    assert outcome != 'killed', 'SIGTERM ended the program: main() installs no handler for it'
    assert outcome != 'still running', 'main() was still running 10 seconds after SIGTERM'
    assert outcome != 'cancelled', f'main() was cancelled by SIGTERM, which cut the job in progress short (finished: {finished!r})'
    started_late = [j for j in jobs['started'] if j not in finished]
    assert not started_late, f'job {started_late[0]} was started after SIGTERM and not finished'
    return finished, elapsed - seconds


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
