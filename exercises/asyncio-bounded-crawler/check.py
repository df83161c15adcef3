import asyncio

from dockyard_check import check, load_submission, run_async

sub = load_submission('main.py')


def watch_downloads():
    """Gives the submission a download of the check's own (one second each) that counts the downloads running at once."""
    seen = {'running': 0, 'most': 0, 'started': 0}

    async def download(url):
        seen['running'] += 1
        seen['started'] += 1
        seen['most'] = max(seen['most'], seen['running'])
        try:
            await asyncio.sleep(1)
            return f'page of {url}'
        finally:
            seen['running'] -= 1

    sub.download = download
    return seen


def urls(n):
    return [f'https://example.test/{i}' for i in range(n)]


@check('crawl returns every page in the order of the urls', hint='gather returns results in the order of its arguments; keep using it.')
def _():
    seen = watch_downloads()
    result, _elapsed = run_async(sub.crawl(urls(5), 3))
    expected = [f'page of {u}' for u in urls(5)]
    assert seen['started'] == 5, f'{seen["started"]} of 5 pages were downloaded; get every page with download(url)'
    assert list(result) == expected, f'returned {list(result)!r}, expected {expected!r}'


@check('never more than 3 downloads run at once with limit=3', hint='Take a permit of an asyncio.Semaphore(limit) around every download: `async with semaphore:`.')
def _():
    seen = watch_downloads()
    run_async(sub.crawl(urls(10), 3))
    assert seen['started'] == 10, f'{seen["started"]} of 10 downloads ran'
    assert seen['most'] <= 3, f'{seen["most"]} downloads ran at the same time; the limit is 3'


@check('3 downloads stay busy: 9 urls with limit=3 take 3 seconds', hint='Start every download at once (gather) and let the semaphore hold back the extra ones; do not await them one by one.')
def _():
    seen = watch_downloads()
    _result, elapsed = run_async(sub.crawl(urls(9), 3))
    assert seen['most'] == 3, f'at most {seen["most"]} downloads ran at once; with limit=3 there should be 3'
    assert elapsed == 3.0, f'took {elapsed:g} virtual seconds, expected 3'


@check('crawl follows its limit argument (limit=5)', hint='Create the semaphore inside crawl, from its `limit` parameter, not at module level with a fixed number.')
def _():
    seen = watch_downloads()
    _result, elapsed = run_async(sub.crawl(urls(10), 5))
    assert seen['most'] == 5, f'with limit=5, {seen["most"]} downloads ran at the same time instead of 5'
    assert elapsed == 2.0, f'10 urls with limit=5 took {elapsed:g} virtual seconds, expected 2'
