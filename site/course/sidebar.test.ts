import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModules } from './sidebar.mjs';

function contentDir(modules: Record<string, string | null>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dockyard-content-'));
  for (const [name, meta] of Object.entries(modules)) {
    mkdirSync(join(dir, name));
    if (meta !== null) writeFileSync(join(dir, name, '_module.json'), meta);
  }
  return dir;
}

describe('readModules', () => {
  it('orders modules by their declared order', () => {
    const dir = contentDir({
      images: '{"label":"Images","order":2}',
      'why-containers': '{"label":"Why containers","order":1}',
    });
    expect(readModules(dir).map((m) => m.slug)).toEqual(['why-containers', 'images']);
  });

  it('names the folder of a module without _module.json', () => {
    const dir = contentDir({ images: null });
    expect(() => readModules(dir)).toThrow(/images: a module folder needs a _module.json/);
  });

  it('names the file and the field when _module.json is incomplete', () => {
    const dir = contentDir({ images: '{"label":"Images"}' });
    expect(() => readModules(dir)).toThrow(/_module\.json: "label" \(string\) and "order" \(number\)/);
  });

  it('reads the real course content', () => {
    expect(readModules()[0]).toMatchObject({ slug: 'why-containers' });
  });
});
