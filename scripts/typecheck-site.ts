/**
 * Type-checks the course site: its .ts modules and its .astro components. `astro check`
 * cannot run here: @astrojs/check (0.9) and its language server need TypeScript 5 or 6 and
 * its JavaScript language-service API, which TypeScript 7 no longer has. So this does what it
 * does with parts that work: Astro's compiler (@astrojs/compiler, the one the language server
 * uses) turns each component into TSX in a mirror of site/ (.astro/check), and TypeScript 7's
 * `tsc` checks the TSX and the site's .ts files together (tsconfig.site.json, whose rootDirs let a
 * component's relative imports, other components included, resolve as from site/). Errors name
 * the .astro file and its line, mapped back through the compiler's source map.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { convertToTSX } from '@astrojs/compiler';
import { eachMapping, TraceMap } from '@jridgewell/trace-mapping';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, '.astro', 'check');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

/** Every .astro file under `dir`, as paths relative to the repository. */
function astroFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.astro'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();
}

/** Writes the TSX of every component; returns the compiler's own errors (a component that does not parse) and each TSX's source map. */
async function writeTsx(files: string[]): Promise<{ errors: string[]; maps: Map<string, TraceMap> }> {
  rmSync(OUT, { recursive: true, force: true });
  const errors: string[] = [];
  const maps = new Map<string, TraceMap>();
  for (const file of files) {
    const result = await convertToTSX(readFileSync(join(ROOT, file), 'utf8'), { filename: file, sourcemap: 'external', includeScripts: false, includeStyles: false });
    maps.set(file, new TraceMap({ ...result.map, version: 3 }));
    for (const d of result.diagnostics) {
      if (d.severity === 1) errors.push(`${file}(${d.location.line},${d.location.column}): error: ${d.text}`);
    }
    const target = join(OUT, `${file}.tsx`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, result.code);
  }
  return { errors, maps };
}

/** Where generated `line`/`column` (1-based) came from in the component: the nearest mapping at or before it on that line. */
function original(map: TraceMap, line: number, column: number): { line: number; column: number } | undefined {
  // The compiler's segments are not always in column order, so they are searched, not bisected.
  let best: { line: number; column: number; at: number } | undefined;
  eachMapping(map, (m) => {
    if (m.generatedLine !== line || m.originalLine == null || m.originalColumn == null) return;
    const at = m.generatedColumn;
    if (at <= column - 1 && (!best || at > best.at)) best = { line: m.originalLine, column: m.originalColumn + (column - 1 - at) + 1, at };
  });
  return best;
}

/** Rewrites `…/X.astro.tsx(line,col)` in tsc's output as the component's own file and position. */
function mapBack(output: string, maps: Map<string, TraceMap>): string {
  const prefix = `${relative(ROOT, OUT)}/`;
  return output.replace(/(\S+)\.astro\.tsx\((\d+),(\d+)\)/g, (whole, path: string, line: string, column: string) => {
    const file = `${path.startsWith(prefix) ? path.slice(prefix.length) : path}.astro`;
    const map = maps.get(file);
    const at = map ? original(map, Number(line), Number(column)) : undefined;
    return at ? `${file}(${at.line},${at.column})` : `${file}(generated TSX ${line},${column})`;
  });
}

const files = astroFiles('site');
const { errors: compileErrors, maps } = await writeTsx(files);
const tsc = spawnSync(bin('tsc'), ['-p', 'tsconfig.site.json'], { cwd: ROOT, encoding: 'utf8' });
const output = mapBack(`${tsc.stdout}${tsc.stderr}`, maps);
const errors = [...compileErrors, ...(output.trim() ? [output.trimEnd()] : [])];
if (errors.length > 0 || tsc.status !== 0) {
  console.error(errors.join('\n'));
  console.error(`\nThe site does not type-check (${files.length} components and the site's .ts files).`);
  process.exit(1);
}
console.log(`The site type-checks: ${files.length} components and the site's .ts files.`);
