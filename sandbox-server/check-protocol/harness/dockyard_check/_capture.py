"""Per-check capture of print output: keeps the head, passes everything through to stderr."""
import io, os, sys, contextlib

_current = [None]


class _Capture(io.TextIOBase):
    def __init__(self, keep):
        self.keep, self.parts, self.kept = keep, [], 0

    def writable(self):
        return True

    def keep_text(self, s):
        """Keeps the head of s without passing it through (the student's output is passed through as read)."""
        if self.kept < self.keep:
            self.parts.append(s[: self.keep - self.kept])
            self.kept += len(self.parts[-1])

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError('write() argument must be str')
        self.keep_text(s)
        # Pass-through keeps floods visible to the runner's output cap.
        data = s.encode('utf-8', 'replace')
        while data:
            data = data[os.write(2, data):]
        return len(s)

    def text(self):
        return ''.join(self.parts)


def current():
    """The capture open now, or None."""
    return _current[0]


@contextlib.contextmanager
def captured(keep=2000):
    """Redirects sys.stdout and sys.stderr to one capture for the block; the student's output joins it."""
    cap = _Capture(keep)
    old = sys.stdout, sys.stderr, _current[0]
    sys.stdout = sys.stderr = cap
    _current[0] = cap
    try:
        yield cap
    finally:
        from ._student import drain_output
        drain_output()
        sys.stdout, sys.stderr, _current[0] = old
