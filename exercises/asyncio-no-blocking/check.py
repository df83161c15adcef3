from dockyard_check import check, load_submission, printed, run_async

sub = load_submission('main.py')


def first_late(name, beats):
    """The first beat of `name` that was not printed at i × 0.5 virtual seconds (None when all were)."""
    times = {}
    for t, line in printed():
        parts = line.split()
        if len(parts) == 3 and parts[0] == name and parts[1] == 'beat' and parts[2].isdigit():
            times.setdefault(int(parts[2]), t)
    for i in range(beats):
        if i not in times:
            return f'"{name} beat {i}" was never printed'
        if times[i] != i * 0.5:
            return f'"{name} beat {i}" was printed at {times[i]:g} s, expected {i * 0.5:g} s'
    return None


@check('heartbeat never blocks the event loop', hint='Use await asyncio.sleep(...) instead of time.sleep(...).')
def _():
    _result, elapsed = run_async(sub.heartbeat('solo', 2))
    late = first_late('solo', 2)
    assert late is None, f'{late}: heartbeat should print a beat every half second'
    assert elapsed == 1.0, f'heartbeat("solo", 2) took {elapsed:g} virtual seconds; two beats half a second apart take 1'


@check('two heartbeats of four beats tick side by side in 2 seconds', hint='While one heartbeat waits, the other must be able to run.')
def _():
    _result, elapsed = run_async(sub.main())
    for name in ('left', 'right'):
        late = first_late(name, 4)
        assert late is None, f'{late}: the two heartbeats should tick together'
    assert elapsed == 2.0, f'took {elapsed:g} virtual seconds, expected 2'
