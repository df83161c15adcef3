"""The classic Compose example: a Flask page that counts its visits in redis and says which container answered."""
import os, signal, socket, sys, time

import redis
from flask import Flask

app = Flask(__name__)
cache = redis.Redis(host=os.environ.get('REDIS_HOST', 'redis'), port=6379)


def get_hit_count():
    """Adds one to the count kept in redis; while redis is not there yet, waits and tries again."""
    retries = 5
    while True:
        try:
            return cache.incr('hits')
        except redis.exceptions.ConnectionError:
            if retries == 0:
                raise
            retries -= 1
            time.sleep(0.5)


@app.route('/')
def hello():
    return f'Hello from {socket.gethostname()}! I have been seen {get_hit_count()} times.\n'


if __name__ == '__main__':
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop at once when asked
    app.run(host='0.0.0.0', port=8000)
