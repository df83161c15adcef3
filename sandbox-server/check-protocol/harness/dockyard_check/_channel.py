"""The results channel: JSON lines prefixed by a per-run nonce, on a dup of the original stdout."""
import json, os

_state = {'fd': None, 'nonce': None, 'pid': None}
OUTPUT_CUT = 500


def open_channel(nonce):
    """Dups fd 1 before any student code runs; only this process (not forks) may write."""
    _state.update(fd=os.dup(1), nonce=nonce, pid=os.getpid())


def is_main_process():
    """True in the harness process, false in children a submission forked."""
    return os.getpid() == _state['pid']


def emit(record):
    """Writes one record as `\\n<nonce> <json>\\n`; the leading newline ends any partial student line."""
    if _state['fd'] is None or not is_main_process():
        return
    line = '\n' + _state['nonce'] + ' ' + json.dumps(record, ensure_ascii=True) + '\n'
    data = line.encode('ascii')
    while data:
        n = os.write(_state['fd'], data)
        data = data[n:]


def cut(text, limit=OUTPUT_CUT):
    """Cuts text to `limit` characters, marking the cut."""
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 15] + '\n...[truncated]'
