"""Dockyard check harness: named checks, submission loading and virtual-time asyncio (stdlib only)."""
from ._checks import check, load_submission, CheckTimeout, SubmissionError
from ._vclock import run_async, VirtualClockLoop, BlockingCallError

__all__ = ['check', 'load_submission', 'run_async', 'VirtualClockLoop', 'BlockingCallError', 'CheckTimeout', 'SubmissionError']
