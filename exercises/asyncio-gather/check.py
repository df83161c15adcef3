import asyncio

from dockyard_check import check, load_submission, run_async

sub = load_submission('main.py')

# The check provides fetch: it records, on the virtual clock, when each download starts and ends.
calls = []


async def fetch(name):
    loop = asyncio.get_running_loop()
    call = {'name': name, 'start': loop.time(), 'end': None}
    calls.append(call)
    await asyncio.sleep(1)
    call['end'] = loop.time()
    return name


def fetch_all():
    """Runs the submission's fetch_all with the recording fetch; returns (result, elapsed, calls)."""
    calls.clear()
    sub.fetch = fetch
    result, elapsed = run_async(sub.fetch_all())
    return result, elapsed, list(calls)


@check('fetch_all returns the three results in order', hint='gather returns results in the order of its arguments.')
def _():
    result, _elapsed, made = fetch_all()
    names = sorted(c['name'] for c in made)
    assert names == ['a', 'b', 'c'], f'fetch_all called fetch for {names or "nothing"}; it must fetch "a", "b" and "c"'
    assert list(result) == ['a', 'b', 'c'], f'returned {result!r}, expected ["a", "b", "c"]'


@check('fetch_all runs the three downloads concurrently', hint='Await the three fetches together with asyncio.gather.')
def _():
    _result, elapsed, made = fetch_all()
    assert len(made) == 3, f'fetch_all called fetch {len(made)} time(s); the three downloads must go through fetch'
    late = [c['name'] for c in made if c['start'] != 0]
    why = f' (the download of {", ".join(late)} started only after another had finished)' if late else ''
    assert not late and elapsed == 1.0, f'took {elapsed:g} virtual seconds; concurrent downloads take 1{why}'
