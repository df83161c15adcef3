"""A Flask page that counts its visits in redis and needs redis from its first second:
it asks redis PING at start and gives up when redis does not answer."""
import os, signal, sys

import redis
from flask import Flask

REDIS_HOST = os.environ.get('REDIS_HOST', 'redis')
app = Flask(__name__)
cache = redis.Redis(host=REDIS_HOST, port=6379, socket_connect_timeout=3)


@app.route('/')
def hello():
    return f'Hello! I have been seen {cache.incr("hits")} times.\n'


if __name__ == '__main__':
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop at once when asked
    try:
        cache.ping()
    except redis.exceptions.RedisError as e:
        print(f'redis at {REDIS_HOST}:6379 is not ready ({e}): giving up.', flush=True)
        sys.exit(1)
    print('redis is ready. Serving on port 8000', flush=True)
    app.run(host='0.0.0.0', port=8000)
