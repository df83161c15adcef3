"""A tiny stateless web app: counts page hits in redis (host "redis", port 6379) and says which container answered.

Standard library only: it speaks the few lines of the redis protocol (RESP) it needs over a socket."""
import os, signal, socket, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REDIS_HOST = os.environ.get('REDIS_HOST', 'redis')


def incr(key):
    """Sends INCR key to redis and returns the new value."""
    with socket.create_connection((REDIS_HOST, 6379), timeout=3) as s:
        s.sendall(f'*2\r\n$4\r\nINCR\r\n${len(key)}\r\n{key}\r\n'.encode())
        reply = s.makefile('rb').readline().decode().strip()  # ":42" or "-ERR …"
    if not reply.startswith(':'):
        raise RuntimeError(f'redis answered {reply!r}')
    return int(reply[1:])


class Counter(BaseHTTPRequestHandler):
    def do_GET(self):
        try:
            status, body = 200, f'Hello from {socket.gethostname()}! I have been seen {incr("hits")} times.\n'
        except (OSError, RuntimeError) as e:
            status, body = 500, f'Cannot reach redis at {REDIS_HOST}:6379: {e}\n'
        data = body.encode()
        self.send_response(status)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == '__main__':
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f'{socket.gethostname()} serving on port 8000', flush=True)
    ThreadingHTTPServer(('0.0.0.0', 8000), Counter).serve_forever()
