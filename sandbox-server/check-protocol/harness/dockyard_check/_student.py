"""The trusted side's handle on the student's process: started under another uid, spoken to over two pipes.

The process gets /dev/null as stdin, pipes this side reads as stdout and stderr, and the two pipes of the boundary;
nothing else of this process (not the results channel) is inherited. Its uid differs from this process's, so it can
neither signal nor trace it, nor open its /proc files. Whatever it says is only evidence about the submission's
behaviour; it never writes a record.
"""
import fcntl, json, os, select, signal, subprocess, sys
from ._agent import MAX_LINE
from ._capture import current

AGENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '_agent.py')
SETTINGS = {'uid': None, 'memory_bytes': None, 'files': {}}
_state = {'student': None}


class StudentGone(Exception):
    """The student's process ended."""

    def __init__(self, message, killed=False):
        super().__init__(message)
        self.killed = killed


class CpuLimit(Exception):
    """The student's process used more CPU time than a request may take."""


class ProtocolError(Exception):
    """The student's process sent something the boundary does not speak."""


def _ended(code):
    if code is None:
        return StudentGone("The program's process stopped answering.")
    if code == -signal.SIGKILL:
        return StudentGone("The program's process was killed (out of memory?).", killed=True)
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f'signal {-code}'
        return StudentGone(f"The program's process was ended by {name}.")
    return StudentGone(f"The program's process ended (exit code {code}).")


def _nonblocking(fd):
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_NONBLOCK)


class Student:
    """One process of the submission's code; `history` is replayed when a new one replaces it."""

    def __init__(self):
        self.proc = None
        self.history = []  # ('import', filename) and ('set', path, name, encoded value), in order
        self.generation = 0
        self.buf = b''
        self.inbox = []
        self.on_message = None  # set during a run: called with each message as it arrives

    # -- process --------------------------------------------------------------------------------------------
    def start(self):
        up_r, up_w = os.pipe()  # student -> trusted
        down_r, down_w = os.pipe()  # trusted -> student
        uid = SETTINGS['uid']
        env = {k: os.environ[k] for k in ('PATH', 'HOME', 'LANG') if k in os.environ}
        with open(AGENT, encoding='utf-8') as f:
            source = f.read()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, '-I', '-B', '-u', '-c', source, str(down_r), str(up_w)],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                pass_fds=(down_r, up_w), close_fds=True, env=env, process_group=0,
                **({'user': uid, 'group': uid, 'extra_groups': []} if uid is not None else {}),
            )
        finally:
            os.close(down_r)
            os.close(up_w)
        self.rfd, self.wfd = up_r, down_w
        self.out, self.err = self.proc.stdout.fileno(), self.proc.stderr.fileno()
        for fd in (self.rfd, self.out, self.err):
            _nonblocking(fd)
        self.outputs = {self.out, self.err}  # output pipes not yet at their end
        self.buf, self.inbox = b'', []
        self.generation += 1
        self.send({'t': 'boot', 'files': SETTINGS['files'], 'memory_bytes': SETTINGS['memory_bytes']})
        self.wait_for('ready')

    def ensure(self):
        """A live process, started (and the history replayed) when there is none."""
        if self.proc is not None:
            return
        self.start()
        for entry in self.history:
            if entry[0] == 'import':
                reply = self.request({'t': 'import', 'file': entry[1]})
                if not reply.get('ok'):
                    raise StudentGone(f"{entry[1]} could not be imported again: {reply.get('message', '')}")
            else:
                self.request({'t': 'set', 'obj': entry[1], 'name': entry[2], 'value': entry[3]})

    def kill(self):
        """Ends the process and everything it started."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            self.proc.wait(2)
        except subprocess.TimeoutExpired:
            pass
        drain_output()
        for fd in (self.rfd, self.wfd):
            try:
                os.close(fd)
            except OSError:
                pass
        self.proc.stdout.close()
        self.proc.stderr.close()
        self.proc = None

    def gone(self):
        """The process has ended: reaps it and says how."""
        code = None
        try:
            code = self.proc.wait(2)
        except subprocess.TimeoutExpired:
            pass
        err = _ended(code)
        self.kill()
        return err

    def signal(self, signum):
        """Sends a signal to the student's process (this side holds CAP_KILL; the student cannot signal back)."""
        if self.proc is not None:
            try:
                os.kill(self.proc.pid, signum)
            except OSError:
                pass

    def cpu_ns(self):
        """CPU time the student's main thread has used, in ns, read from outside through /proc."""
        pid = self.proc.pid if self.proc else None
        if pid is None:
            return 0
        try:
            with open(f'/proc/{pid}/task/{pid}/schedstat') as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
        try:
            with open(f'/proc/{pid}/task/{pid}/stat') as f:
                fields = f.read().rsplit(')', 1)[1].split()
            return (int(fields[11]) + int(fields[12])) * 1_000_000_000 // os.sysconf('SC_CLK_TCK')
        except (OSError, ValueError, IndexError):
            return 0

    # -- messages -------------------------------------------------------------------------------------------
    def send(self, msg):
        data = (json.dumps(msg, ensure_ascii=True) + '\n').encode('ascii')
        while data:
            try:
                data = data[os.write(self.wfd, data):]
            except BlockingIOError:
                select.select([], [self.wfd], [])
            except BrokenPipeError:
                raise self.gone()

    def readable(self, fd):
        """Reads what `fd` has: output is passed through and captured; messages are parsed into the inbox."""
        if fd != self.rfd:
            if _drain(fd):
                self.outputs.discard(fd)
            return
        while True:
            try:
                chunk = os.read(self.rfd, 65536)
            except BlockingIOError:
                break
            if not chunk:
                raise self.gone()
            self.buf += chunk
            while b'\n' in self.buf:
                line, _, self.buf = self.buf.partition(b'\n')
                try:
                    msg = json.loads(line)
                except ValueError:
                    raise ProtocolError('a message that is not JSON')
                if not isinstance(msg, dict):
                    raise ProtocolError('a message that is not an object')
                if self.on_message is not None:
                    self.on_message(msg)
                else:
                    self.inbox.append(msg)
            if len(self.buf) > MAX_LINE:
                raise ProtocolError('a message over 1 MiB')

    def cpu_seconds(self):
        """CPU time the whole process has used (every thread), read from outside."""
        try:
            with open(f'/proc/{self.proc.pid}/stat') as f:
                fields = f.read().rsplit(')', 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')
        except (OSError, ValueError, IndexError, AttributeError):
            return 0.0

    def pump(self, timeout=None):
        """Waits (in real time, bounded by the guard) until one of the process's pipes has something, and reads it."""
        ready, _, _ = select.select([self.rfd, *self.outputs], [], [], timeout)
        for fd in ready:
            self.readable(fd)

    def wait_for(self, kind, cpu_limit=None):
        """Reads until a message of `kind`; between runs, anything else the process says is dropped.
        With cpu_limit, raises CpuLimit once the process has used that many more CPU seconds."""
        start = self.cpu_seconds() if cpu_limit else 0.0
        while True:
            while self.inbox:
                msg = self.inbox.pop(0)
                if msg.get('t') == kind:
                    return msg
            self.pump(0.1 if cpu_limit else None)
            if cpu_limit and self.cpu_seconds() - start > cpu_limit:
                raise CpuLimit()

    def request(self, msg, cpu_limit=None):
        """Sends a request between runs and returns its reply."""
        self.send(msg)
        return self.wait_for('reply', cpu_limit)


def current_student():
    """The student's process of this run (created by load_submission), or None."""
    return _state['student']


def student():
    """The student's process, created on first use."""
    if _state['student'] is None:
        _state['student'] = Student()
    return _state['student']


SINK = [None]  # during a run: called with each piece of the student's output as it is read


def _drain(fd):
    """Passes through and captures what fd has; True at its end."""
    cap, sink = current(), SINK[0]
    while True:
        try:
            data = os.read(fd, 65536)
        except (BlockingIOError, InterruptedError):
            return False
        except OSError:
            return True
        if not data:
            return True
        rest = data
        while rest:
            rest = rest[os.write(2, rest):]
        text = data.decode('utf-8', 'replace')
        if cap is not None:
            cap.keep_text(text)
        if sink is not None:
            sink(fd, text)


def drain_output():
    """Reads whatever the student's process has printed so far (it prints unbuffered, before its next message)."""
    s = _state['student']
    if s is not None and s.proc is not None:
        for fd in list(s.outputs):
            if _drain(fd):
                s.outputs.discard(fd)
