import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const HARNESS_DIR = join(import.meta.dirname, 'harness');
let cache: { bootstrap: string; package: Record<string, string> } | undefined;

/** The harness sources: the bootstrap program and the `dockyard_check` package files (read once). */
export function harnessFiles(): { bootstrap: string; package: Record<string, string> } {
  if (cache) return cache;
  const pkgDir = join(HARNESS_DIR, 'dockyard_check');
  const pkg: Record<string, string> = {};
  for (const name of readdirSync(pkgDir).sort()) {
    if (name.endsWith('.py')) pkg[`dockyard_check/${name}`] = readFileSync(join(pkgDir, name), 'utf8');
  }
  cache = { bootstrap: readFileSync(join(HARNESS_DIR, 'bootstrap.py'), 'utf8'), package: pkg };
  return cache;
}
