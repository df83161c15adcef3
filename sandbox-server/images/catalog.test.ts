import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMAGES_ROOT, KIT, buildOrder, findByTag, kitImageNames, normalizeRef, parseFromImages, type KitImage } from './catalog.ts';

const image = (ref: string, extra: Partial<KitImage> = {}): KitImage => ({
  ref, tags: [ref], dir: ref, source: 'dockerfile', studentFacing: false, standIn: false, ...extra,
});

describe('parseFromImages', () => {
  it('returns the images of FROM lines, without stage names and scratch', () => {
    const dockerfile = [
      'FROM debian:bookworm-slim AS build',
      'RUN true',
      'from --platform=linux/amd64 python:3.11-slim as py',
      'FROM build AS again',
      'FROM scratch',
      'COPY --from=build / /',
      'FROM busybox',
    ].join('\n');
    expect(parseFromImages(dockerfile)).toEqual(['debian:bookworm-slim', 'python:3.11-slim', 'busybox:latest']);
  });

  it('follows line continuations and ignores comments', () => {
    expect(parseFromImages('# FROM evil:1\nFROM \\\n  redis:7\n')).toEqual(['redis:7']);
  });
});

describe('normalizeRef', () => {
  it('adds latest only when there is no tag', () => {
    expect(normalizeRef('busybox')).toBe('busybox:latest');
    expect(normalizeRef('registry:2')).toBe('registry:2');
    expect(normalizeRef('localhost:5000/library/busybox')).toBe('localhost:5000/library/busybox:latest');
  });
});

describe('buildOrder', () => {
  it('puts every image after its parents', () => {
    const base = image('base:1');
    const mid = image('mid:1');
    const leaf = image('leaf:1');
    const parents: Record<string, string[]> = { 'leaf:1': ['mid:1', 'base:1'], 'mid:1': ['base:1'], 'base:1': [] };
    const order = buildOrder([leaf, mid, base], (i) => parents[i.ref]!).map((i) => i.ref);
    expect(order).toEqual(['base:1', 'mid:1', 'leaf:1']);
  });

  it('refuses cycles and parents outside the kit', () => {
    const a = image('a:1');
    const b = image('b:1');
    expect(() => buildOrder([a, b], (i) => (i === a ? ['b:1'] : ['a:1']))).toThrow(/cycle/);
    expect(() => buildOrder([a], () => ['nginx:latest'])).toThrow(/not in the kit/);
  });

  it('orders the real kit from its Dockerfiles: the base first, sandboxes after their parents', () => {
    const parentsOf = (i: KitImage) =>
      i.source === 'base' ? [] : parseFromImages(readFileSync(path.join(IMAGES_ROOT, i.dir, 'Dockerfile'), 'utf8'));
    const order = buildOrder(KIT, parentsOf).map((i) => i.ref);
    expect(order[0]).toBe('debian:bookworm-slim');
    expect(order.indexOf('python:3.11-slim')).toBeLessThan(order.indexOf('dockyard/sandbox-python:latest'));
    expect(order.indexOf('debian:trixie-slim')).toBeLessThan(order.indexOf('python:3.13-slim'));
    expect(order.indexOf('nginx:latest')).toBeLessThan(order.indexOf('dockyard/package-index:latest'));
    expect(order).toHaveLength(KIT.length);
  });
});

describe('the kit', () => {
  it('offers the student images under their usual names', () => {
    const usual = [
      'busybox', 'debian:bookworm-slim', 'debian:trixie-slim', 'python:3.11-slim', 'python:3.13-slim', 'golang:1.24',
      'gcr.io/distroless/static-debian12', 'distroless/static', 'postgres', 'postgres:17', 'redis', 'redis:7', 'nginx',
      'hello-world', 'registry:2',
    ];
    for (const ref of usual) {
      expect(findByTag(KIT, ref)?.studentFacing, ref).toBe(true);
    }
    expect(kitImageNames()).toContain('dockyard/sandbox-docker:latest');
    expect(findByTag(KIT, 'dockyard/package-index')?.studentFacing).toBe(false);
  });

  it('labels every stand-in as one in its Dockerfile', () => {
    for (const image of KIT.filter((i) => i.standIn && i.source === 'dockerfile')) {
      const dockerfile = readFileSync(path.join(IMAGES_ROOT, image.dir, 'Dockerfile'), 'utf8');
      expect(dockerfile, image.dir).toMatch(/org\.opencontainers\.image\.description="Dockyard's offline stand-in for /);
    }
  });

  it('debootstraps each Debian base from the suite it is named for', () => {
    for (const image of KIT.filter((i) => i.source === 'base')) {
      expect(image.ref).toBe(`debian:${image.suite ?? 'bookworm'}-slim`);
    }
  });
});
