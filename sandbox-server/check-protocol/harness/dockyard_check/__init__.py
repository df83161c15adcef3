"""Dockyard check harness: named checks, the submission in a process of its own, virtual-time asyncio (stdlib only)."""
from ._checks import check, load_submission, CheckTimeout, SubmissionError
from ._vclock import run_async, printed, send_signal, tasks_left, VirtualClockLoop, BlockingCallError, StuckError
from ._student import StudentGone

__all__ = ['check', 'load_submission', 'run_async', 'printed', 'send_signal', 'tasks_left', 'VirtualClockLoop', 'BlockingCallError',
           'StuckError', 'StudentGone', 'CheckTimeout', 'SubmissionError']
