import asyncio

from dockyard_check import check, load_submission, run_async, tasks_left

sub = load_submission('main.py')


def watch_jobs():
    """Gives the submission a handle of the check's own (one second, job * 10) that counts the jobs handled at once."""
    seen = {'running': 0, 'most': 0, 'handled': []}

    async def handle(job):
        seen['handled'].append(job)
        seen['running'] += 1
        seen['most'] = max(seen['most'], seen['running'])
        try:
            await asyncio.sleep(1)
            return job * 10
        finally:
            seen['running'] -= 1

    sub.handle = handle
    return seen


@check('run_jobs returns the result of every job', hint='Start the worker tasks with asyncio.create_task, then `await queue.join()` before returning.')
def _():
    seen = watch_jobs()
    result, _elapsed = run_async(sub.run_jobs(list(range(6)), 3))
    assert list(result) == [0, 10, 20, 30, 40, 50], f'returned {result!r}, expected [0, 10, 20, 30, 40, 50]'
    assert sorted(seen['handled']) == list(range(6)), f'handle was called for {sorted(seen["handled"])}; every job must go through handle(job)'


@check('three workers share six jobs in 2 seconds', hint='Start exactly `workers` worker tasks; each handles one job at a time.')
def _():
    seen = watch_jobs()
    _result, elapsed = run_async(sub.run_jobs(list(range(6)), 3))
    assert seen['most'] == 3, f'{seen["most"]} jobs ran at the same time; with 3 workers there should be 3'
    assert elapsed == 2.0, f'took {elapsed:g} virtual seconds, expected 2'


@check('the number of workers follows the argument (2 workers: 3 seconds)', hint='Use the `workers` parameter in the loop that starts the tasks.')
def _():
    seen = watch_jobs()
    result, elapsed = run_async(sub.run_jobs(list(range(6)), 2))
    assert list(result) == [0, 10, 20, 30, 40, 50], f'returned {result!r}, expected [0, 10, 20, 30, 40, 50]'
    assert seen['most'] == 2, f'{seen["most"]} jobs ran at the same time; with 2 workers there should be 2'
    assert elapsed == 3.0, f'took {elapsed:g} virtual seconds, expected 3'


@check('no worker is left running after run_jobs returns', hint='Cancel every worker task after queue.join(), then await them with asyncio.gather(*tasks, return_exceptions=True).')
def _():
    watch_jobs()
    result, _elapsed = run_async(sub.run_jobs(list(range(4)), 2))
    left = tasks_left()
    assert list(result) == [0, 10, 20, 30], f'run_jobs(range(4), 2) returned {result!r}, expected [0, 10, 20, 30]'
    assert not left, f'{left} task(s) were still running after run_jobs returned; stop the workers and wait for them'


@check('an empty list of jobs finishes at once', hint='queue.join() returns at once when nothing was put on the queue.')
def _():
    watch_jobs()
    result, elapsed = run_async(sub.run_jobs([], 3))
    assert list(result) == [], f'returned {result!r}, expected []'
    assert elapsed == 0.0, f'took {elapsed:g} virtual seconds, expected 0'
