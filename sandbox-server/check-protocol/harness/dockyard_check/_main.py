"""Harness entry: loads check.py, runs each check under a guard, emits the records."""
import os, resource, runpy, sys, traceback
from ._channel import open_channel, emit, cut, is_main_process
from ._capture import captured
from ._student import StudentGone
from ._checks import CHECKS, SETTINGS, CheckTimeout, SubmissionError, guard


def _limit_memory(limit):
    if limit:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):
            pass


def _finish(code=0):
    sys.stdout.flush()
    from ._student import current_student
    if current_student() is not None:
        current_student().kill()
    os._exit(code)


def _run_check(c, default_timeout):
    out, status, message = '', 'pass', None
    with captured() as cap:
        try:
            guard(c['timeout'] or default_timeout)
            try:
                c['fn']()
            finally:
                guard(0)
        except CheckTimeout:
            status, message = 'fail', f"The check did not finish within {c['timeout'] or default_timeout:g} s of real time (endless loop or a wait that never ends?)."
        except AssertionError as e:
            status, message = 'fail', str(e) or 'An assertion failed.'
        except MemoryError:
            raise
        except SystemExit as e:
            status, message = 'error', f'The code called sys.exit({e.code!r}) during the check.'
        except StudentGone as e:
            if e.killed:
                raise MemoryError()
            status, message = 'error', str(e)
        except BaseException as e:
            status, message = 'error', f'{type(e).__name__}: {e}'
        out = cap.text()
    if not is_main_process():
        os._exit(1)
    rec = {'type': 'test', 'name': c['name'], 'status': status}
    if message:
        rec['message'] = cut(message, 2000)
    if c['hint'] and status != 'pass':
        rec['hint'] = c['hint']
    if out:
        rec['output'] = cut(out)
    return rec


def main(nonce, limits):
    """Runs /tmp/dockyard/check.py and reports on the channel; never returns."""
    open_channel(nonce)
    emit({'type': 'start', 'protocol': 1})
    _limit_memory(limits.get('memory_bytes'))
    check_timeout = float(limits.get('check_seconds', 5))
    SETTINGS['check_seconds'] = check_timeout
    student = limits.get('student')
    if student:
        from ._student import SETTINGS as STUDENT
        STUDENT.update(uid=student.get('uid'), files=student.get('files', {}), memory_bytes=limits.get('memory_bytes'))
    try:
        runpy.run_path('/tmp/dockyard/check.py', run_name='__check__')
    except SubmissionError as e:
        emit({'type': 'error', 'kind': e.kind, 'message': cut(e.message, 2000), 'output': cut(e.output)})
        _finish()
    except MemoryError:
        emit({'type': 'error', 'kind': 'memory', 'message': 'The program ran out of memory.'})
        _finish()
    except BaseException:
        if not is_main_process():
            os._exit(1)
        emit({'type': 'error', 'kind': 'internal', 'message': 'The check program failed: ' + cut(traceback.format_exc(), 1500)})
        _finish()
    emit({'type': 'plan', 'names': [c['name'] for c in CHECKS]})
    passed = 0
    for c in CHECKS:
        try:
            rec = _run_check(c, check_timeout)
        except MemoryError:
            emit({'type': 'error', 'kind': 'memory', 'message': f"The check '{c['name']}' ran out of memory."})
            _finish()
        passed += rec['status'] == 'pass'
        emit(rec)
    emit({'type': 'end', 'passed': passed, 'total': len(CHECKS)})
    _finish()
