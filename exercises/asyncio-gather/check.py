from dockyard_check import check, load_submission, run_async

sub = load_submission('main.py')


@check('fetch_all returns the three results in order', hint='gather returns results in the order of its arguments.')
def _():
    result, _elapsed = run_async(sub.fetch_all())
    assert list(result) == ['a', 'b', 'c'], f'returned {result!r}, expected ["a", "b", "c"]'


@check('fetch_all runs the three downloads concurrently', hint='Await the three fetches together with asyncio.gather.')
def _():
    _result, elapsed = run_async(sub.fetch_all())
    assert elapsed == 1.0, f'took {elapsed:g} virtual seconds; concurrent downloads take 1'
