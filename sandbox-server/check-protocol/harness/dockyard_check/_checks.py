"""Check registration and submission loading."""
import os, signal

CHECKS = []
SETTINGS = {'check_seconds': 5.0}


class CheckTimeout(BaseException):
    """Raised by the real-time guard when a check (or the import) runs too long."""


class SubmissionError(BaseException):
    """The submission could not be loaded; kind is syntax, runtime, timeout or memory."""

    def __init__(self, kind, message, output=''):
        super().__init__(message)
        self.kind, self.message, self.output = kind, message, output


def check(name, hint=None, timeout=None):
    """Decorator: registers a named check, run in definition order."""
    def register(fn):
        CHECKS.append({'name': str(name), 'hint': hint, 'fn': fn, 'timeout': timeout})
        return fn
    return register


def _on_alarm(signum, frame):
    raise CheckTimeout()


def guard(seconds):
    """Arms the real-time guard for `seconds` (0 disarms)."""
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)


def load_submission(filename, timeout=None):
    """Imports the student's module in the student's process; returns its proxy. Any failure raises SubmissionError."""
    from ._capture import captured
    from ._remote import Remote
    from ._student import CpuLimit, ProtocolError, StudentGone, student
    timeout = timeout or SETTINGS['check_seconds']
    s = student()
    with captured() as cap:
        try:
            # The import may use `timeout` seconds of CPU time (load does not change that), or three times as
            # long in real time (a program that sleeps or is stopped); starting the process counts for neither.
            guard(max(3 * timeout, 15))
            try:
                s.ensure()
                guard(3 * timeout)
                reply = s.request({'t': 'import', 'file': filename}, cpu_limit=timeout)
            finally:
                guard(0)
        except (CheckTimeout, CpuLimit):
            s.kill()
            raise SubmissionError('timeout', f'Importing {filename} did not finish within {timeout:g} s of CPU time ({3 * timeout:g} s of real time).', cap.text())
        except StudentGone as e:
            raise SubmissionError('memory' if e.killed else 'runtime', f'{e} (while importing {filename})', cap.text())
        except ProtocolError as e:
            s.kill()
            raise SubmissionError('runtime', f'The program broke the check protocol while importing {filename}: {e}', cap.text())
        text = cap.text()
    if not reply.get('ok'):
        kind = reply.get('kind') if reply.get('kind') in ('syntax', 'runtime', 'memory') else 'runtime'
        s.kill()
        raise SubmissionError(kind, str(reply.get('message', ''))[:2000], text)
    s.history.append(('import', filename))
    return Remote(s, path=(os.path.splitext(os.path.basename(filename))[0],))
