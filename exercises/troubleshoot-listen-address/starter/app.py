"""The weather app: answers every request on a port with today's forecast.

Like many development servers, it listens on 127.0.0.1 unless told otherwise (--host)."""
import argparse
from http.server import BaseHTTPRequestHandler, HTTPServer

parser = argparse.ArgumentParser()
parser.add_argument('--host', default='127.0.0.1', help='the address to listen on (default: 127.0.0.1)')
parser.add_argument('--port', type=int, default=8000)
args = parser.parse_args()


class Forecast(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'Forecast: sunny, 21 degrees.\n'
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)


print(f'weather: listening on {args.host}:{args.port}', flush=True)
HTTPServer((args.host, args.port), Forecast).serve_forever()
