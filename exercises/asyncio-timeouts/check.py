import asyncio

from dockyard_check import check, load_submission, run_async

sub = load_submission('main.py')

# How long each page takes to download, in seconds (as in the starter's DELAYS).
DELAYS = {'fast': 0.5, 'medium': 1.5, 'slow': 5}


def watch_fetch():
    """Gives the submission a fetch of the check's own that records which downloads were made and which cancelled."""
    seen = {'called': [], 'cancelled': []}

    async def fetch(name):
        seen['called'].append(name)
        try:
            await asyncio.sleep(DELAYS[name])
            return f'<{name}>'
        except asyncio.CancelledError:
            seen['cancelled'].append(name)
            raise

    sub.fetch = fetch
    return seen


def fetched(seen, names):
    """Fails unless the submission fetched exactly these pages, through fetch."""
    assert sorted(seen['called']) == sorted(names), \
        f'fetch was called for {sorted(seen["called"]) or "nothing"}, expected {sorted(names)}: get every page with fetch(name)'



@check('a page that arrives in time is returned', hint='Return what fetch(name) returns when it finishes before the limit.')
def _():
    seen = watch_fetch()
    result, elapsed = run_async(sub.fetch_or_none('fast', 2))
    fetched(seen, ['fast'])
    assert result == '<fast>', f'fetch_or_none("fast", 2) returned {result!r}, expected "<fast>"'
    assert elapsed == 0.5, f'fetch_or_none("fast", 2) took {elapsed:g} virtual seconds, expected 0.5'


@check('a slow page gives None after exactly the limit', hint='Wrap the await in `async with asyncio.timeout(limit):` and catch TimeoutError.')
def _():
    seen = watch_fetch()
    try:
        result, elapsed = run_async(sub.fetch_or_none('slow', 2))
    except (TimeoutError, asyncio.TimeoutError):
        raise AssertionError('fetch_or_none("slow", 2) raised TimeoutError; catch it and return None')
    fetched(seen, ['slow'])
    assert elapsed == 2.0, f'fetch_or_none("slow", 2) took {elapsed:g} virtual seconds, expected 2 (the limit)'
    assert result is None, f'fetch_or_none("slow", 2) returned {result!r}, expected None'


@check('the slow download is cancelled, not left running', hint='asyncio.timeout and asyncio.wait_for cancel the work they wrap; asyncio.wait does not.')
def _():
    seen = watch_fetch()

    async def scenario():
        result = await sub.fetch_or_none('slow', 1)
        await asyncio.sleep(0)
        return result

    run_async(scenario())
    assert seen['cancelled'] == ['slow'], 'the slow download was not cancelled when the time ran out'


@check('fetch_all returns fast pages and None for the slow one in 2 seconds', hint='Every page gets its own deadline inside fetch_or_none; gather runs them side by side.')
def _():
    seen = watch_fetch()
    result, elapsed = run_async(sub.fetch_all(['fast', 'slow', 'medium'], 2))
    fetched(seen, ['fast', 'slow', 'medium'])
    assert list(result) == ['<fast>', None, '<medium>'], f'returned {result!r}, expected ["<fast>", None, "<medium>"]'
    assert elapsed == 2.0, f'took {elapsed:g} virtual seconds, expected 2'


@check('the limit is taken from the argument', hint='Use the `limit` parameter, not a fixed number of seconds.')
def _():
    seen = watch_fetch()
    result, elapsed = run_async(sub.fetch_all(['fast', 'medium'], 1))
    fetched(seen, ['fast', 'medium'])
    assert list(result) == ['<fast>', None], f'fetch_all(["fast", "medium"], 1) returned {result!r}, expected ["<fast>", None]'
    assert elapsed == 1.0, f'took {elapsed:g} virtual seconds, expected 1'
