"""The guest book: every visit is added to /data/visits.txt, and the page says how many there were."""
from http.server import BaseHTTPRequestHandler, HTTPServer

VISITS = '/data/visits.txt'
open(VISITS, 'a').close()  # stops the app at once when /data cannot be written


class GuestBook(BaseHTTPRequestHandler):
    def do_GET(self):
        with open(VISITS, 'a') as f:
            f.write('visit\n')
        with open(VISITS) as f:
            count = sum(1 for _ in f)
        body = f'visit number {count}\n'.encode()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)


print(f'guest book: counting visits in {VISITS}', flush=True)
HTTPServer(('0.0.0.0', 8000), GuestBook).serve_forever()
