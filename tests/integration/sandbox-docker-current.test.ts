import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { SandboxDriver, type Sandbox } from '../../sandbox-server/docker/driver.ts';
import { sandboxShell } from '../support/sandbox-files.ts';

const docker = connectEngine();
const driver = new SandboxDriver(docker);

const { sh, writeFiles } = sandboxShell(driver);

const HIT_COUNTER = `import os
import redis
from flask import Flask

app = Flask(__name__)
cache = redis.Redis(host=os.environ.get("REDIS_HOST", "cache"), port=6379)


@app.route("/")
def hello():
    return f"Hello! I have been seen {cache.incr('hits')} times.\\n"
`;

describe('a docker sandbox runs current Docker', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await driver.create('docker');
  }, 120_000);
  afterAll(async () => {
    if (s) await driver.remove(s);
  });

  it('has Docker Engine 26 or later, the Compose v2 plugin and buildx', async () => {
    const r = await sh(s, 'docker version --format "{{.Server.Version}}"; docker compose version --short; docker buildx version');
    const [engine, compose, buildx] = r.stdout.trim().split('\n');
    expect(Number(engine?.split('.')[0]), r.stdout + r.stderr).toBeGreaterThanOrEqual(26);
    expect(compose).toMatch(/^v?2\./);
    expect(buildx).toMatch(/buildx/);
  });

  it('builds with BuildKit by default: cache mounts, heredocs and COPY --chmod work, and a rebuild is CACHED', async () => {
    await writeFiles(s, '/root/modern', {
      'run.sh': '#!/bin/sh\ncat /greeting\n',
      'Dockerfile': [
        'FROM debian:trixie-slim',
        'COPY --chmod=755 run.sh /usr/local/bin/run.sh',
        'RUN --mount=type=cache,target=/var/cache/demo echo cached > /var/cache/demo/x && cat /var/cache/demo/x',
        'RUN <<EOF',
        'echo "hello from a heredoc" > /greeting',
        'EOF',
        'CMD ["run.sh"]',
        '',
      ].join('\n'),
    });
    const first = await sh(s, 'cd /root/modern && docker build -t modern . 2>&1', 180_000);
    expect(first.exitCode, first.stdout.slice(-3000)).toBe(0);
    const second = await sh(s, 'cd /root/modern && docker build --progress=plain -t modern . 2>&1');
    expect(second.stdout).toMatch(/CACHED/);
    const run = await sh(s, 'docker run --rm modern');
    expect(run.stdout.trim(), run.stderr).toBe('hello from a heredoc');
  }, 240_000);

  it('runs a Flask + redis app installed from the course index under docker compose up, and it counts hits', async () => {
    await writeFiles(s, '/root/counter', {
      'app.py': HIT_COUNTER,
      'requirements.txt': 'flask\nredis\n',
      'Dockerfile': [
        'FROM python:3.13-slim',
        'WORKDIR /app',
        'COPY requirements.txt .',
        'RUN pip install -r requirements.txt',
        'COPY app.py .',
        'CMD ["flask", "--app", "app", "run", "--host", "0.0.0.0", "--port", "8000"]',
        '',
      ].join('\n'),
      'compose.yaml': [
        'services:',
        '  web:',
        '    build: .',
        '    ports: ["8000:8000"]',
        '    depends_on: [cache]',
        '  cache:',
        '    image: redis',
        '',
      ].join('\n'),
    });
    const up = await sh(s, 'cd /root/counter && docker compose up -d --build 2>&1', 300_000);
    expect(up.exitCode, up.stdout.slice(-3000)).toBe(0);
    expect(up.stdout).toContain('counter-web-1');
    const hits = await sh(s, 'for i in $(seq 1 60); do curl -s -o /dev/null localhost:8000/ready && break; sleep 0.5; done; curl -fsS localhost:8000/; curl -fsS localhost:8000/');
    expect(hits.stdout, hits.stderr).toMatch(/seen 1 times\.\n.*seen 2 times\./s);
    const down = await sh(s, 'cd /root/counter && docker compose down -t 1 2>&1');
    expect(down.exitCode, down.stdout).toBe(0);
  }, 360_000);
});
