"""The notes app: answers every request on port 8000, and stops cleanly when asked to (SIGTERM)."""
import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Notes(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'The notes app is up.\n'
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def stop(signum, frame):
    print('app: stopped cleanly', flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
print('app: listening on port 8000', flush=True)
HTTPServer(('0.0.0.0', 8000), Notes).serve_forever()
