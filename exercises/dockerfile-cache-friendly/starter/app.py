"""A small Flask app: answers on port 8000 with a greeting and the versions of the packages pip installed."""
import signal, sys
from importlib.metadata import version

from flask import Flask

MESSAGE = 'Hello from a cache-friendly image!'
app = Flask(__name__)


@app.route('/')
def hello():
    installed = ', '.join(f'{name} {version(name)}' for name in ('flask', 'requests'))
    return f'{MESSAGE}\nPackages: {installed}\n', {'Content-Type': 'text/plain'}


if __name__ == '__main__':
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop at once when docker stop asks
    app.run(host='0.0.0.0', port=8000)
