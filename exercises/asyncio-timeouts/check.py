import asyncio

from dockyard_check import check, load_submission, run_async

sub = load_submission('main.py')
original_fetch = sub.fetch


def watch_fetch():
    """Replaces the submission's fetch with one that records which downloads were cancelled."""
    cancelled = []

    async def fetch(name):
        try:
            return await original_fetch(name)
        except asyncio.CancelledError:
            cancelled.append(name)
            raise

    sub.fetch = fetch
    return cancelled


@check('a page that arrives in time is returned', hint='Return what fetch(name) returns when it finishes before the limit.')
def _():
    watch_fetch()
    result, elapsed = run_async(sub.fetch_or_none('fast', 2))
    assert result == '<fast>', f'fetch_or_none("fast", 2) returned {result!r}, expected "<fast>"'
    assert elapsed == 0.5, f'fetch_or_none("fast", 2) took {elapsed:g} virtual seconds, expected 0.5'


@check('a slow page gives None after exactly the limit', hint='Wrap the await in `async with asyncio.timeout(limit):` and catch TimeoutError.')
def _():
    watch_fetch()
    try:
        result, elapsed = run_async(sub.fetch_or_none('slow', 2))
    except (TimeoutError, asyncio.TimeoutError):
        raise AssertionError('fetch_or_none("slow", 2) raised TimeoutError; catch it and return None')
    assert elapsed == 2.0, f'fetch_or_none("slow", 2) took {elapsed:g} virtual seconds, expected 2 (the limit)'
    assert result is None, f'fetch_or_none("slow", 2) returned {result!r}, expected None'


@check('the slow download is cancelled, not left running', hint='asyncio.timeout and asyncio.wait_for cancel the work they wrap; asyncio.wait does not.')
def _():
    cancelled = watch_fetch()

    async def scenario():
        result = await sub.fetch_or_none('slow', 1)
        await asyncio.sleep(0)
        return result

    run_async(scenario())
    assert cancelled == ['slow'], 'the slow download was not cancelled when the time ran out'


@check('fetch_all returns fast pages and None for the slow one in 2 seconds', hint='Every page gets its own deadline inside fetch_or_none; gather runs them side by side.')
def _():
    watch_fetch()
    result, elapsed = run_async(sub.fetch_all(['fast', 'slow', 'medium'], 2))
    assert list(result) == ['<fast>', None, '<medium>'], f'returned {result!r}, expected ["<fast>", None, "<medium>"]'
    assert elapsed == 2.0, f'took {elapsed:g} virtual seconds, expected 2'


@check('the limit is taken from the argument', hint='Use the `limit` parameter, not a fixed number of seconds.')
def _():
    watch_fetch()
    result, elapsed = run_async(sub.fetch_all(['fast', 'medium'], 1))
    assert list(result) == ['<fast>', None], f'fetch_all(["fast", "medium"], 1) returned {result!r}, expected ["<fast>", None]'
    assert elapsed == 1.0, f'took {elapsed:g} virtual seconds, expected 1'
