import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The service's dependency order, proved on its sources: each folder may import only the folders listed for it
 * (type-only imports included), so a lower layer never reaches an upper one; and the process makes one
 * SandboxDriver, in main.ts. (A test of its own rather than dependency-cruiser: that tool parses TypeScript
 * through the compiler's JavaScript API, which TypeScript 7 no longer ships.)
 */

const ROOT = import.meta.dirname;

/** What each part may import besides itself, lowest first. `names` are the leaves every layer shares. */
const NAMES = ['contract', 'base', 'images/labels.ts'];
const ALLOWED: Record<string, readonly string[]> = {
  contract: [],
  base: ['contract', 'images/labels.ts'],
  'images/labels.ts': [],
  sandboxes: NAMES,
  docker: [...NAMES, 'sandboxes'],
  images: [...NAMES, 'sandboxes', 'docker'],
  'check-protocol': [...NAMES, 'docker'],
  exercises: NAMES,
  checkers: [...NAMES, 'sandboxes', 'docker', 'check-protocol', 'exercises'],
  grading: [...NAMES, 'checkers', 'exercises'],
  sessions: [...NAMES, 'sandboxes', 'docker'],
  db: NAMES,
  cluster: [...NAMES, 'docker', 'sessions', 'db'],
  classroom: [...NAMES, 'db', 'exercises', 'checkers', 'grading'],
  lti: [...NAMES, 'db', 'classroom'],
  http: [...NAMES, 'sandboxes', 'docker', 'images', 'exercises', 'checkers', 'grading', 'sessions', 'db', 'classroom', 'lti'],
  site: NAMES,
};

/** Every non-test TypeScript source of the service, relative to sandbox-server/. */
function sources(dir = ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [relative(ROOT, path)] : [];
  });
}

/** The relative modules a source imports or re-exports (type-only and dynamic imports included). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)));
}

/** The part a source belongs to: a leaf module named in ALLOWED, else its top folder; top-level files are none. */
function partOf(file: string): string | undefined {
  if (file in ALLOWED) return file;
  return file.includes('/') ? file.split('/')[0] : undefined;
}

describe('the dependency order of sandbox-server', () => {
  const files = sources();

  it('knows every folder of the service', () => {
    const folders = [...new Set(files.map(partOf).filter((p): p is string => p !== undefined))];
    expect(folders.filter((f) => !(f in ALLOWED))).toEqual([]);
  });

  it('has no import from a part into one it may not use (checkers never reach sessions/ or http/)', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const from = partOf(file);
      if (!from) continue; // main.ts and config.ts sit on top
      for (const target of importsOf(file)) {
        if (target.startsWith('..')) {
          wrong.push(`${file} → ${target} (outside sandbox-server)`);
          continue;
        }
        const to = partOf(target);
        if (to === from) continue;
        if (!to || !(ALLOWED[from] ?? []).includes(to)) wrong.push(`${file} → ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('makes one SandboxDriver, in main.ts', () => {
    const makers = files.filter((file) => /new SandboxDriver\(/.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(makers).toEqual(['main.ts']);
    const made = readFileSync(join(ROOT, 'main.ts'), 'utf8').match(/new SandboxDriver\(/g) ?? [];
    expect(made).toHaveLength(1);
  });

  it("reads Dockyard's settings only through config.ts (no DOCKYARD_ variable read anywhere else)", () => {
    const readers = files.filter((file) => /\benv(\.|\[['"`])DOCKYARD_/.test(readFileSync(join(ROOT, file), 'utf8')));
    // The image kit also runs on its own (`npm run images`) and reads its own build settings (DOCKYARD_DEBIAN_MIRROR…).
    expect(readers.filter((f) => !f.startsWith('images/'))).toEqual([]);
  });

  it('catches a wrong import (the check itself can fail)', () => {
    expect(importsOf('checkers/service.ts')).toContain('exercises/submission.ts');
    expect(ALLOWED.checkers).not.toContain('sessions');
    expect(ALLOWED.checkers).not.toContain('http');
  });
});
