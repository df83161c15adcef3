from dockyard_check import check, load_submission, run_async

sub = load_submission('main.py')


@check('heartbeat never blocks the event loop', hint='Use await asyncio.sleep(...) instead of time.sleep(...).')
def _():
    run_async(sub.heartbeat('solo', 2))


@check('two heartbeats of four beats tick side by side in 2 seconds', hint='While one heartbeat waits, the other must be able to run.')
def _():
    _result, elapsed = run_async(sub.main())
    assert elapsed == 2.0, f'took {elapsed:g} virtual seconds, expected 2'
