import asyncio, secrets

from dockyard_check import check, load_submission, printed, run_async

sub = load_submission('main.py')

# The check's own stand-ins record, on the trusted virtual clock, when each thing happened.
events = {}


def now():
    return asyncio.get_running_loop().time()


async def fetch_report():
    events['report started'] = now()
    await asyncio.sleep(2)
    return 'the report'


async def tidy_cache():
    events['tidy started'] = now()
    await asyncio.sleep(1)


def morning():
    """Runs the program's morning with the check's stand-ins: (result, elapsed, events, when it printed cache tidied)."""
    events.clear()
    sub.fetch_report, sub.tidy_cache = fetch_report, tidy_cache
    result, elapsed = run_async(sub.morning())
    noted = [t for t, line in printed() if line.strip() == 'cache tidied']
    return result, elapsed, dict(events), noted


@check('morning returns the report, in two seconds', hint='Start the download with asyncio.create_task before tidying, and await the task at the end.')
def _():
    result, elapsed, seen, _noted = morning()
    assert 'report started' in seen, 'morning never called fetch_report'
    assert result == 'the report', f'morning returned {result!r}, not what fetch_report returned'
    assert elapsed == 2.0, f'morning took {elapsed:g} virtual seconds; with the download in the background it takes 2'


@check('The cache is tidied while the report downloads, and reported at once', hint='asyncio.create_task(fetch_report()) first; then await tidy_cache() and print at once, before awaiting the task.')
def _():
    _result, _elapsed, seen, noted = morning()
    assert seen.get('report started') == 0, f'the download started at {seen.get("report started")} s, not at once'
    assert seen.get('tidy started') == 0, f'the tidying started at {seen.get("tidy started")} s, not while the report downloaded'
    assert noted, 'morning never printed cache tidied'
    assert noted[0] == 1.0, f'cache tidied was printed at {noted[0]:g} s; the tidying was done at 1 s'


@check('lookup returns the address start_lookup hands to its callback, half a second later', hint='Create a future with loop.create_future(), pass its set_result to start_lookup as the callback, and await the future.')
def _():
    addresses = {name: f'10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250)}' for name in ('redis', 'db')}
    sub.ADDRESSES = addresses
    for name, address in addresses.items():
        result, elapsed = run_async(sub.lookup(name))
        assert result == address, f'lookup({name!r}) returned {result!r}, not the address start_lookup handed to its callback'
        assert elapsed == 0.5, f'lookup({name!r}) took {elapsed:g} virtual seconds; the callback comes after 0.5'
