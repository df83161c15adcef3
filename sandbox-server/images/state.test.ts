import { describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import type { KitImage } from './catalog.ts';
import { LABEL_HASH, LABEL_STAND_IN } from './labels.ts';
import { mirrorContents, mirrorPath, namesOtherRegistry } from './mirror.ts';
import { evaluate, expectedHash, indexEngineImages, type Recipe } from './state.ts';

const kitImage = (ref: string, extra: Partial<KitImage> = {}): KitImage => ({
  ref, tags: [ref], dir: 'x', source: 'dockerfile', studentFacing: true, standIn: true, ...extra,
});
const recipe = (image: KitImage, parents: string[] = []): Recipe => ({ image, contextDir: '/x', parents, contextDigest: 'd', extra: [] });
const info = (id: string, tags: string[], labels: Record<string, string> = {}) =>
  ({ Id: id, RepoTags: tags, Labels: labels }) as unknown as Docker.ImageInfo;

describe('evaluate', () => {
  const base = kitImage('debian:bookworm-slim', { source: 'base' });
  const child = kitImage('python:3.11-slim', { tags: ['python:3.11-slim', 'python:3.11-slim-bookworm'] });

  it('reports a missing image', () => {
    expect(evaluate(recipe(base), indexEngineImages([]))).toMatchObject({ upToDate: false, reason: 'missing' });
  });

  it('accepts an image carrying the expected hash under every tag', () => {
    const baseHash = expectedHash(recipe(base), indexEngineImages([]))!;
    const engine0 = indexEngineImages([info('b', ['debian:bookworm-slim'], { [LABEL_HASH]: baseHash, [LABEL_STAND_IN]: 'true' })]);
    const childHash = expectedHash(recipe(child, ['debian:bookworm-slim']), engine0)!;
    const engine = indexEngineImages([
      info('b', ['debian:bookworm-slim'], { [LABEL_HASH]: baseHash, [LABEL_STAND_IN]: 'true' }),
      info('c', ['python:3.11-slim', 'python:3.11-slim-bookworm'], { [LABEL_HASH]: childHash }),
    ]);
    expect(evaluate(recipe(base), engine).upToDate).toBe(true);
    expect(evaluate(recipe(child, ['debian:bookworm-slim']), engine).upToDate).toBe(true);
  });

  it('calls an image stale when its parent changed, and notices a missing tag', () => {
    const engine0 = indexEngineImages([info('b', ['debian:bookworm-slim'], { [LABEL_HASH]: 'sha256:old' })]);
    const oldChildHash = expectedHash(recipe(child, ['debian:bookworm-slim']), engine0)!;
    const engine = indexEngineImages([
      info('b2', ['debian:bookworm-slim'], { [LABEL_HASH]: 'sha256:new' }),
      info('c', ['python:3.11-slim', 'python:3.11-slim-bookworm'], { [LABEL_HASH]: oldChildHash }),
    ]);
    expect(evaluate(recipe(child, ['debian:bookworm-slim']), engine)).toMatchObject({ upToDate: false, reason: expect.stringMatching(/stale/) });
    const oneTag = indexEngineImages([
      info('b', ['debian:bookworm-slim'], { [LABEL_HASH]: 'sha256:old' }),
      info('c', ['python:3.11-slim'], { [LABEL_HASH]: oldChildHash }),
    ]);
    expect(evaluate(recipe(child, ['debian:bookworm-slim']), oneTag)).toMatchObject({ upToDate: false, reason: expect.stringMatching(/python:3.11-slim-bookworm/) });
  });

  it('accepts a pulled official base without kit labels, and children build on its ID', () => {
    const engine = indexEngineImages([info('sha256:official', ['debian:bookworm-slim'])]);
    expect(evaluate(recipe(base), engine).upToDate).toBe(true);
    expect(expectedHash(recipe(child, ['debian:bookworm-slim']), engine)).toBeDefined();
  });

  it('has no expected hash while a parent is missing', () => {
    expect(evaluate(recipe(child, ['debian:bookworm-slim']), indexEngineImages([info('c', ['python:3.11-slim'])])))
      .toMatchObject({ upToDate: false, expectedHash: undefined });
  });
});

describe('mirror contents', () => {
  it('maps every student tag to library/NAME:TAG and its ID', () => {
    expect(mirrorPath('busybox')).toBe('library/busybox:latest');
    const kit = [kitImage('redis:latest', { tags: ['redis:latest', 'redis:7'] }), kitImage('dockyard/x:latest', { studentFacing: false })];
    const engine = indexEngineImages([info('r', ['redis:latest', 'redis:7'])]);
    expect(mirrorContents(kit, engine)).toEqual({ 'library/redis:latest': 'r', 'library/redis:7': 'r' });
    expect(mirrorContents(kit, indexEngineImages([]))).toBeUndefined();
  });

  it('leaves out tags of other registries, which no Docker Hub mirror serves', () => {
    expect(namesOtherRegistry('gcr.io/distroless/static-debian12:latest')).toBe(true);
    expect(namesOtherRegistry('localhost:5000/x')).toBe(true);
    expect(namesOtherRegistry('distroless/static:latest')).toBe(false);
    expect(namesOtherRegistry('busybox')).toBe(false);
    const tags = ['gcr.io/distroless/static-debian12:latest', 'distroless/static:latest'];
    const kit = [kitImage(tags[0]!, { tags })];
    expect(mirrorContents(kit, indexEngineImages([info('d', tags)]))).toEqual({ 'distroless/static:latest': 'd' });
  });
});
