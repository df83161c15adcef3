import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectEngine, engineAddress, probeEngine } from './engine.ts';

describe('engine address', () => {
  it('defaults to the local socket and follows DOCKER_HOST', () => {
    expect(engineAddress({})).toBe('unix:///var/run/docker.sock');
    expect(engineAddress({ DOCKER_HOST: 'tcp://10.0.0.2:2375' })).toBe('tcp://10.0.0.2:2375');
  });

  it('connects over the socket or TCP named by DOCKER_HOST', () => {
    type ModemAddress = { socketPath?: string; host?: string; port?: number; protocol?: string };
    const unix = connectEngine({ DOCKER_HOST: 'unix:///tmp/x.sock' }).modem as unknown as ModemAddress;
    expect(unix.socketPath).toBe('/tmp/x.sock');
    const tcp = connectEngine({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }).modem as unknown as ModemAddress;
    expect([tcp.host, tcp.port, tcp.protocol]).toEqual(['127.0.0.1', 2375, 'http']);
  });
});

describe('probeEngine', () => {
  it('reports a missing socket without throwing', async () => {
    const probe = await probeEngine(connectEngine({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' }));
    expect(probe.ok).toBe(false);
    expect(probe.error).toContain('/nonexistent/docker.sock');
  });

  it('gives up on an engine that never answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dockyard-engine-'));
    const socketPath = join(dir, 'silent.sock');
    const server = createServer(() => {}).listen(socketPath);
    try {
      const probe = await probeEngine(connectEngine({ DOCKER_HOST: `unix://${socketPath}` }), 200);
      expect(probe).toEqual({ ok: false, error: 'no answer within 200 ms' });
    } finally {
      server.close();
    }
  });
});
