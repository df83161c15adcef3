"""Per-check capture of print output: keeps the head, passes everything through to stderr."""
import io, os, sys, contextlib


class _Capture(io.TextIOBase):
    def __init__(self, keep):
        self.keep, self.parts, self.kept = keep, [], 0

    def writable(self):
        return True

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError('write() argument must be str')
        if self.kept < self.keep:
            self.parts.append(s[: self.keep - self.kept])
            self.kept += len(self.parts[-1])
        # Pass-through keeps floods visible to the runner's output cap.
        data = s.encode('utf-8', 'replace')
        while data:
            data = data[os.write(2, data):]
        return len(s)

    def text(self):
        return ''.join(self.parts)


@contextlib.contextmanager
def captured(keep=2000):
    """Redirects sys.stdout and sys.stderr to one capture for the block."""
    cap = _Capture(keep)
    old = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = cap
    try:
        yield cap
    finally:
        sys.stdout, sys.stderr = old
