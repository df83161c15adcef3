"""Check registration and submission loading."""
import importlib.util, os, signal, sys

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
    """Imports the student's module from /work; any failure raises SubmissionError."""
    from ._capture import captured
    timeout = timeout or SETTINGS['check_seconds']
    name = os.path.splitext(os.path.basename(filename))[0]
    path = os.path.join('/work', filename)
    if not os.path.isfile(path):
        raise SubmissionError('runtime', f'{filename} is missing from the submission.')
    with captured() as cap:
        try:
            guard(timeout)
            try:
                spec = importlib.util.spec_from_file_location(name, path)
                module = importlib.util.module_from_spec(spec)
                sys.modules[name] = module
                spec.loader.exec_module(module)
            finally:
                guard(0)
        except SyntaxError as e:
            where = f'line {e.lineno}' if e.lineno else 'unknown line'
            raise SubmissionError('syntax', f'SyntaxError in {filename} ({where}): {e.msg}', cap.text())
        except CheckTimeout:
            raise SubmissionError('timeout', f'Importing {filename} did not finish within {timeout:g} s.', cap.text())
        except MemoryError:
            raise SubmissionError('memory', f'Importing {filename} ran out of memory.', cap.text())
        except SystemExit as e:
            _only_main()
            raise SubmissionError('runtime', f'{filename} called sys.exit({e.code!r}) while being imported; '
                                  'keep top-level code inside `if __name__ == "__main__":`.', cap.text())
        except BaseException as e:
            _only_main()
            raise SubmissionError('runtime', f'{filename} raised {type(e).__name__} while being imported: {e}', cap.text())
    return module


def _only_main():
    from ._channel import is_main_process
    if not is_main_process():
        os._exit(1)
