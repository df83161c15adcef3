import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureSiteBuilt, siteBuildEnv, type SiteBuilder } from './ensure-site.ts';

/** A project with one lesson, and a builder that writes a page and a search index slowly, counting its runs. */
function project() {
  const root = mkdtempSync(join(os.tmpdir(), 'dockyard-site-'));
  mkdirSync(join(root, 'content'));
  writeFileSync(join(root, 'content', 'lesson.mdx'), '# One');
  const siteDir = join(root, 'dist', 'site');
  const runs: string[] = [];
  let release: () => void = () => {};
  const held = { until: Promise.resolve() };
  const build: SiteBuilder = async (projectRoot, outDir) => {
    runs.push(outDir);
    await mkdir(join(outDir, 'pagefind'), { recursive: true });
    await writeFile(join(outDir, 'index.html'), readFileSync(join(projectRoot, 'content', 'lesson.mdx'), 'utf8'));
    await held.until;
    await writeFile(join(outDir, 'pagefind', 'pagefind-ui.js'), '// index');
  };
  const hold = () => (held.until = new Promise<void>((r) => (release = r)));
  return { root, siteDir, runs, build, hold, release: () => release() };
}

describe('ensureSiteBuilt', () => {
  it('builds once for servers starting at once; the others wait and find it built', async () => {
    const p = project();
    const logs: string[][] = [[], []];
    await Promise.all([0, 1].map((i) => ensureSiteBuilt(p.root, p.siteDir, (l) => logs[i]!.push(l), p.build)));
    expect(p.runs).toHaveLength(1);
    expect(logs.flat().filter((l) => l.startsWith('Building'))).toHaveLength(1);
    expect(logs.flat().some((l) => l.includes('waiting'))).toBe(true);
    expect(readFileSync(join(p.siteDir, 'pagefind', 'pagefind-ui.js'), 'utf8')).toBe('// index');
    // Built from these inputs: a third start builds nothing.
    await ensureSiteBuilt(p.root, p.siteDir, () => {}, p.build);
    expect(p.runs).toHaveLength(1);
  });

  it('keeps serving the old site whole while a rebuild runs, then swaps it in; leaves no build folder behind', async () => {
    const p = project();
    await ensureSiteBuilt(p.root, p.siteDir, () => {}, p.build);
    writeFileSync(join(p.root, 'content', 'lesson.mdx'), '# Two');
    p.hold();
    const rebuilding = ensureSiteBuilt(p.root, p.siteDir, () => {}, p.build);
    await expect.poll(() => p.runs.length).toBe(2);
    expect(readFileSync(join(p.siteDir, 'index.html'), 'utf8')).toBe('# One');
    expect(existsSync(join(p.siteDir, 'pagefind', 'pagefind-ui.js'))).toBe(true);
    p.release();
    await rebuilding;
    expect(readFileSync(join(p.siteDir, 'index.html'), 'utf8')).toBe('# Two');
    expect(readdirSync(join(p.root, 'dist')).sort()).toEqual(['site']);
  });

  it('leaves the old site in place when a build fails', async () => {
    const p = project();
    await ensureSiteBuilt(p.root, p.siteDir, () => {}, p.build);
    writeFileSync(join(p.root, 'content', 'lesson.mdx'), '# Broken');
    await expect(ensureSiteBuilt(p.root, p.siteDir, () => {}, async () => { throw new Error('astro build exited with 1'); })).rejects.toThrow('exited with 1');
    expect(readFileSync(join(p.siteDir, 'index.html'), 'utf8')).toBe('# One');
    expect(readdirSync(join(p.root, 'dist')).sort()).toEqual(['site']);
  });

  it('builds in production mode even when a test runner started the server', () => {
    // What vitest gives the processes it starts (this test runs under it: its own environment).
    expect(process.env.DEV).toBe('1');
    const env = siteBuildEnv(process.env, '/out', '/out.cache');
    expect(env).toMatchObject({ NODE_ENV: 'production', DOCKYARD_SITE_DIR: '/out', DOCKYARD_SITE_CACHE_DIR: '/out.cache' });
    for (const key of ['DEV', 'PROD', 'MODE', 'SSR', 'BASE_URL', 'VITEST']) expect(env).not.toHaveProperty(key);
    expect(env.PATH).toBe(process.env.PATH);
  });
});
