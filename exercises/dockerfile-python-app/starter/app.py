"""A tiny web app: answers every GET with a greeting, on port 8000."""
from http.server import BaseHTTPRequestHandler, HTTPServer


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'Hello from a container!\n'
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == '__main__':
    print('Serving on port 8000', flush=True)
    HTTPServer(('0.0.0.0', 8000), Hello).serve_forever()
