import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';
import { withFileLock } from '../base/file-lock.ts';

/** Files and folders whose content decides what the built site looks like. */
// exercises/: lesson pages show exercise titles and summaries, read at build time.
const SITE_INPUTS = ['astro.config.mjs', 'site', 'content', 'exercises', 'package-lock.json'];
const STAMP = '.dockyard-site-hash';

/** A hash of every site input, so a rebuild happens only when a lesson or the site changed. */
export async function siteInputsHash(root: string): Promise<string> {
  const hash = createHash('sha256');
  for (const input of SITE_INPUTS) {
    for (const file of await listFiles(join(root, input))) {
      hash.update(relative(root, file)).update('\0').update(await readFile(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

async function listFiles(path: string): Promise<string[]> {
  if (!existsSync(path)) return [];
  const entries = await readdir(path, { withFileTypes: true, recursive: true }).catch(() => null);
  if (entries === null) return [path];
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Builds the site into `outDir`, keeping Astro's build cache in `cacheDir`. */
export type SiteBuilder = (root: string, outDir: string, cacheDir: string) => Promise<void>;

/**
 * Variables a test runner built on Vite (vitest) puts in the environment of what it starts,
 * mirroring its own `import.meta.env`: inherited by `astro build`, `DEV=1` makes the built pages
 * development pages (Starlight then ships a "search only in production" box and no Pagefind).
 */
const VITE_MODE_VARIABLES = ['DEV', 'PROD', 'MODE', 'SSR', 'BASE_URL', 'TEST', 'VITEST', 'VITEST_MODE', 'VITEST_POOL_ID', 'VITEST_WORKER_ID'];

/** The environment of a production site build: this process's, without a test runner's mode, and NODE_ENV=production. */
export function siteBuildEnv(env: NodeJS.ProcessEnv, outDir: string, cacheDir: string): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(env).filter(([key]) => !VITE_MODE_VARIABLES.includes(key)));
  return { ...clean, NODE_ENV: 'production', ASTRO_TELEMETRY_DISABLED: '1', DOCKYARD_SITE_DIR: outDir, DOCKYARD_SITE_CACHE_DIR: cacheDir };
}

/** The real build: `astro build`, always in production mode, whoever started the server. */
export const astroBuild: SiteBuilder = (root, outDir, cacheDir) =>
  new Promise<void>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], {
      cwd: root,
      env: siteBuildEnv(process.env, outDir, cacheDir),
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`astro build exited with ${code}`))));
  });

const builtFrom = (siteDir: string) => readFile(join(siteDir, STAMP), 'utf8').then((s) => s.trim(), () => '');

/**
 * Builds the site into `siteDir` unless it is already built from the current inputs. Servers
 * starting at once (a class's machines, a test run's servers) build it once: one holds the lock
 * and builds into a folder of its own, the others wait and find it built. The finished build
 * replaces `siteDir` by a rename, so nobody serves or indexes a half-written or emptied folder.
 */
export async function ensureSiteBuilt(root: string, siteDir: string, log: (line: string) => void, build: SiteBuilder = astroBuild): Promise<void> {
  const want = await siteInputsHash(root);
  if ((await builtFrom(siteDir)) === want) return;
  await withFileLock(
    `${siteDir}.lock`,
    async () => {
      if ((await builtFrom(siteDir)) === want) return;
      log(existsSync(siteDir) ? 'Lessons or site changed: rebuilding the course site…' : 'Building the course site…');
      const staging = `${siteDir}.building-${process.pid}`;
      const previous = `${siteDir}.previous-${process.pid}`;
      try {
        await build(root, staging, `${siteDir}.cache`);
        await writeFile(join(staging, STAMP), want);
        if (existsSync(siteDir)) await rename(siteDir, previous);
        await rename(staging, siteDir);
      } finally {
        await rm(staging, { recursive: true, force: true });
        await rm(previous, { recursive: true, force: true });
      }
    },
    { onWait: () => log('Another process is building the course site: waiting for it…') },
  );
}
