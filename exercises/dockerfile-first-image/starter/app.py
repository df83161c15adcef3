"""Answers every visit on port 8000 with the greeting in the environment variable GREETING."""
import os
from http.server import BaseHTTPRequestHandler, HTTPServer


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = (os.environ.get('GREETING', 'Hello') + '\n').encode()
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)


print('Serving on port 8000', flush=True)
HTTPServer(('0.0.0.0', 8000), Hello).serve_forever()
