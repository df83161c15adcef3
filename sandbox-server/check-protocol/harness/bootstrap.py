# Dockyard check bootstrap: run as `python3 -I -B -c <this>`; stdin carries "<len>\n<json payload>".
import json, os, sys
def _read_payload():
    head = b''
    while not head.endswith(b'\n'):
        c = os.read(0, 1)
        if not c:
            raise SystemExit(70)
        head += c
    size, body = int(head), b''
    while len(body) < size:
        c = os.read(0, size - len(body))
        if not c:
            raise SystemExit(70)
        body += c
    return json.loads(body)
def _write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, 'w', encoding='utf-8') as f:
        f.write(text)
os.umask(0o077)  # the harness and check.py: readable by this uid only, not by the submission's
_p = _read_payload()
_null = os.open('/dev/null', os.O_RDONLY)
os.dup2(_null, 0)
os.close(_null)
for _rel, _text in _p['harness'].items():
    _write('/tmp/dockyard', _rel, _text)
for _rel, _text in _p['files'].items():
    _write('/work', _rel, _text)
sys.path[:0] = ['/tmp/dockyard']
sys.path.append('/work')
try:
    os.chdir('/work')
except OSError:  # a python check's /work belongs to the submission's uid
    os.chdir('/tmp/dockyard')
from dockyard_check._main import main
main(_p['nonce'], _p['limits'])
