import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';

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

/** Builds the site into `siteDir` unless it is already built from the current inputs. */
export async function ensureSiteBuilt(root: string, siteDir: string, log: (line: string) => void): Promise<void> {
  const want = await siteInputsHash(root);
  const have = await readFile(join(siteDir, STAMP), 'utf8').catch(() => '');
  if (have.trim() === want) return;
  log(existsSync(siteDir) ? 'Lessons or site changed: rebuilding the course site…' : 'Building the course site…');
  await new Promise<void>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], {
      cwd: root,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', DOCKYARD_SITE_DIR: siteDir },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`astro build exited with ${code}`))));
  });
  await writeFile(join(siteDir, STAMP), want);
}
