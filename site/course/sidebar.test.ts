import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModules } from './sidebar.ts';

function contentDir(modules: Record<string, { meta?: object; files?: string[] }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dockyard-content-'));
  for (const [name, { meta, files = [] }] of Object.entries(modules)) {
    mkdirSync(join(dir, name));
    if (meta) writeFileSync(join(dir, name, '_module.json'), JSON.stringify(meta));
    for (const file of files) writeFileSync(join(dir, name, file), '---\ntitle: x\n---\n');
  }
  return dir;
}

const noWarnings = (m: string) => {
  throw new Error(`unexpected warning: ${m}`);
};

describe('readModules', () => {
  it('orders modules by their declared order and lessons as listed', () => {
    const dir = contentDir({
      images: { meta: { label: 'Images', order: 2, lessons: ['tags', 'layers'] }, files: ['layers.mdx', 'tags.mdx'] },
      'why-containers': { meta: { label: 'Why containers', order: 1, lessons: [] } },
    });
    const modules = readModules(dir, noWarnings);
    expect(modules.map((m) => m.slug)).toEqual(['why-containers', 'images']);
    expect(modules[1]?.lessons).toEqual(['tags', 'layers']);
  });

  it('names the folder of a module without _module.json', () => {
    expect(() => readModules(contentDir({ images: {} }), noWarnings)).toThrow(/images: a module folder needs a _module.json/);
  });

  it('names the file and the field when _module.json is incomplete', () => {
    const dir = contentDir({ images: { meta: { label: 'Images', lessons: [] } } });
    expect(() => readModules(dir, noWarnings)).toThrow(/images\/_module\.json: field "order"/);
  });

  it('rejects a listed lesson that has no file', () => {
    const dir = contentDir({ images: { meta: { label: 'Images', order: 1, lessons: ['tags'] } } });
    expect(() => readModules(dir, noWarnings)).toThrow(/field "lessons" names "tags"/);
  });

  it('reports a lesson file left out of the list', () => {
    const warnings: string[] = [];
    const dir = contentDir({ images: { meta: { label: 'Images', order: 1, lessons: [] }, files: ['tags.mdx', '_draft.mdx'] } });
    readModules(dir, (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/images\/tags\.mdx is not listed/);
  });

  it('reads the real course content', () => {
    expect(readModules(undefined, noWarnings)[0]).toMatchObject({ slug: 'why-containers' });
  });
});

describe('_module.json', () => {
  it('names each wrong field, an unknown one with the field it likely meant', () => {
    const dir = contentDir({ images: { meta: { label: '', order: 1.5, lesson: [] } } });
    let message = '';
    try {
      readModules(dir, noWarnings);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/images\/_module\.json: field "label"/);
    expect(message).toMatch(/images\/_module\.json: field "order"/);
    expect(message).toMatch(/field "lesson".*lessons/);
  });

  it('rejects a file that is not JSON, naming it', () => {
    const dir = contentDir({ images: {} });
    writeFileSync(join(dir, 'images', '_module.json'), '{ label: Images }');
    expect(() => readModules(dir, noWarnings)).toThrow(/images\/_module\.json: not valid JSON/);
  });
});
