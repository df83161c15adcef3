import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The browser code shares the server's wire contract by type only: an `import type` adds
 * nothing to a page, while a value import would ship server code (and zod) to every student.
 */

const WORKSPACE = import.meta.dirname;
/** Modules of site/workspace/ that run at build time, in Astro's frontmatter, never in the browser. */
const BUILD_TIME = new Set(['exercise-data.ts']);

function browserModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => relative(WORKSPACE, join(e.parentPath, e.name)))
    .filter((path) => !BUILD_TIME.has(path));
}

describe('the browser code and the wire contract', () => {
  it('imports the server only as types', () => {
    const offenders: string[] = [];
    for (const path of browserModules(WORKSPACE)) {
      const source = readFileSync(join(WORKSPACE, path), 'utf8');
      for (const m of source.matchAll(/^\s*(import|export)\s+([^;]*?)\s+from\s+'([^']*sandbox-server\/[^']*)'/gm)) {
        if (!/^type\b/.test(m[2]!)) offenders.push(`${path}: ${m[0].trim()}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('reads the contract from the modules that use it', () => {
    const uses = browserModules(WORKSPACE).filter((path) => readFileSync(join(WORKSPACE, path), 'utf8').includes('sandbox-server/contract/'));
    expect(uses.length).toBeGreaterThanOrEqual(5);
  });
});
