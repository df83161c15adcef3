"""A tiny web app that needs redis from its first second: it checks redis at start and gives up when redis does not answer.

Standard library only: it speaks the few lines of the redis protocol (RESP) it needs over a socket."""
import os, signal, socket, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REDIS_HOST = os.environ.get('REDIS_HOST', 'redis')


def command(*words):
    """Sends one redis command and returns the first line of the answer, e.g. "+PONG" or ":42"."""
    request = f'*{len(words)}\r\n' + ''.join(f'${len(w)}\r\n{w}\r\n' for w in words)
    with socket.create_connection((REDIS_HOST, 6379), timeout=3) as s:
        s.sendall(request.encode())
        return s.makefile('rb').readline().decode().strip()


class Counter(BaseHTTPRequestHandler):
    def do_GET(self):
        try:
            reply = command('INCR', 'hits')
            status, body = 200, f'Hello! I have been seen {int(reply[1:])} times.\n'
        except (OSError, ValueError) as e:
            status, body = 500, f'Cannot count: {e}\n'
        data = body.encode()
        self.send_response(status)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == '__main__':
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        answer = command('PING')
    except OSError as e:
        answer = str(e)
    if answer != '+PONG':
        print(f'redis at {REDIS_HOST}:6379 is not ready ({answer}): giving up.', flush=True)
        sys.exit(1)
    print('redis is ready. Serving on port 8000', flush=True)
    ThreadingHTTPServer(('0.0.0.0', 8000), Counter).serve_forever()
