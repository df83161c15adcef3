"""A tiny web app: answers on port 8000 with a greeting and the packages install.sh put in vendor/."""
import pathlib, signal, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

MESSAGE = 'Hello from a cache-friendly image!'
INSTALLED = pathlib.Path(__file__).parent / 'vendor' / 'INSTALLED'


def packages():
    try:
        return ', '.join(INSTALLED.read_text().split())
    except OSError:
        return '(none: install.sh did not run)'


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = f'{MESSAGE}\nPackages: {packages()}\n'.encode()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == '__main__':
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print('Serving on port 8000', flush=True)
    HTTPServer(('0.0.0.0', 8000), Hello).serve_forever()
