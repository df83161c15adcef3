import { mkdtempSync, mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextDigest, imageHash, readContext, seedHash, type ContextFile } from './hash.ts';

const file = (p: string, content: string, executable = false): ContextFile => ({ path: p, content, executable });

describe('contextDigest', () => {
  it('does not depend on listing order', () => {
    const a = [file('Dockerfile', 'FROM x'), file('run.sh', 'echo', true)];
    expect(contextDigest(a)).toBe(contextDigest([...a].reverse()));
  });

  it('changes with content, path and the executable bit', () => {
    const base = contextDigest([file('Dockerfile', 'FROM x'), file('run.sh', 'echo', true)]);
    expect(contextDigest([file('Dockerfile', 'FROM y'), file('run.sh', 'echo', true)])).not.toBe(base);
    expect(contextDigest([file('Dockerfile', 'FROM x'), file('go.sh', 'echo', true)])).not.toBe(base);
    expect(contextDigest([file('Dockerfile', 'FROM x'), file('run.sh', 'echo', false)])).not.toBe(base);
  });
});

describe('readContext', () => {
  it('lists nested files with relative paths and executable bits', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kit-hash-'));
    mkdirSync(path.join(dir, 'conf'));
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM x');
    writeFileSync(path.join(dir, 'conf', 'a.conf'), 'a');
    writeFileSync(path.join(dir, 'entry.sh'), '#!/bin/sh');
    chmodSync(path.join(dir, 'entry.sh'), 0o755);
    const files = readContext(dir);
    expect(files.map((f) => [f.path, f.executable])).toEqual([
      ['Dockerfile', false],
      ['conf/a.conf', false],
      ['entry.sh', true],
    ]);
  });
});

describe('imageHash', () => {
  const input = { tags: ['python:3.11-slim'], contextDigest: 'abc', parentHashes: ['sha256:parent'] };

  it('is stable and prefixed', () => {
    expect(imageHash(input)).toBe(imageHash({ ...input }));
    expect(imageHash(input)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('cascades a parent change and notices tags and extras', () => {
    expect(imageHash({ ...input, parentHashes: ['sha256:other'] })).not.toBe(imageHash(input));
    expect(imageHash({ ...input, tags: ['python:3.11'] })).not.toBe(imageHash(input));
    expect(imageHash({ ...input, extra: ['CMD ["bash"]'] })).not.toBe(imageHash(input));
  });
});

describe('seedHash', () => {
  it('depends on the set of references and IDs, not their order', () => {
    const a = seedHash({ 'library/busybox:latest': 'sha256:1', 'library/redis:7': 'sha256:2' });
    expect(seedHash({ 'library/redis:7': 'sha256:2', 'library/busybox:latest': 'sha256:1' })).toBe(a);
    expect(seedHash({ 'library/busybox:latest': 'sha256:1', 'library/redis:7': 'sha256:3' })).not.toBe(a);
  });
});
