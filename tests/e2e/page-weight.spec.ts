import { gzipSync } from 'node:zlib';
import { expect, test, type Page, type Response, type Route } from '@playwright/test';
import { endSession, readLessons } from './course.ts';
import { screenshotPath } from './screenshots.ts';

/*
 * What a student downloads before any editor is opened, measured: every JavaScript
 * response of the page, gzipped here with node:zlib (level 9, about what a server's gzip
 * sends), whatever the server's own headers say. The editor's chunk is held back while
 * the page settles, so what is measured is exactly the page without the editor; it is
 * released afterwards and must then load on its own, as a separate, lazy chunk.
 *
 * Budgets, set from a measured build (course as of this writing) with modest headroom:
 * - A plain lesson: Starlight's own scripts, about 30 kB gz here (of which 26 kB is the
 *   search UI it loads when the page is idle; Starlight documents about 27 kB gz), and the
 *   course's progress script, under 2 kB gz. Measured 33.6 kB gz: budget 38 kB gz.
 * - A lesson with a workspace adds the workspace before the editor: xterm.js with its fit
 *   add-on (84 kB gz), the exercise's tabs, Run, Check and drafts (6 kB gz) and the code
 *   that starts them. Measured 124 kB gz: budget 140 kB gz.
 * - The editor (Monaco, about 820 kB gz) must never be part of that: no script a page
 *   loads before the editor may be named like Monaco or be larger than 150 kB gz (xterm's
 *   chunk, the largest allowed, is 84 kB gz).
 */
const PLAIN_BUDGET = 38 * 1024;
const WORKSPACE_BUDGET = 140 * 1024;
const LARGEST_PAGE_CHUNK = 150 * 1024;
const EDITOR_CHUNK = /monaco|editor\.main|editor\.api|editor\.worker/i;

interface Script {
  /** The script's path on the site. */
  url: string;
  bytes: number;
  gzipped: number;
  /** Paths of the scripts it imports statically (a dynamic `import()` is not one). */
  imports: string[];
}

/** Static imports of an ES module, minified or not. */
function staticImports(source: string, from: string): string[] {
  const found = [...source.matchAll(/(?<![\w$.])import\s*(?:[^"'()]*?\bfrom\s*)?["']([^"']+)["']/g)].map((m) => m[1]!);
  const more = [...source.matchAll(/(?<![\w$.])export\s*(?:\*|\{[^}]*\})\s*from\s*["']([^"']+)["']/g)].map((m) => m[1]!);
  return [...found, ...more].map((spec) => new URL(spec, `http://site${from}`).pathname);
}

/** Watches a page's JavaScript: every response, and the editor's chunks held back until `releaseEditor()`. */
class ScriptWatch {
  readonly scripts: Script[] = [];
  /** Stylesheets, reported beside the scripts (the budgets here are for JavaScript). */
  readonly styles: Script[] = [];
  readonly heldEditor: string[] = [];
  private readonly reading: Promise<void>[] = [];
  private readonly held: Route[] = [];
  private last = Date.now();
  private released = false;

  static async on(page: Page): Promise<ScriptWatch> {
    const watch = new ScriptWatch();
    await page.route(EDITOR_CHUNK, (route) => {
      // Only scripts are held: the editor's stylesheet and fonts go through.
      const url = new URL(route.request().url()).pathname;
      if (watch.released || !/\.m?js$/.test(url)) return route.continue();
      watch.heldEditor.push(url);
      watch.held.push(route);
    });
    page.on('response', (response) => watch.record(response));
    return watch;
  }

  private record(response: Response): void {
    const type = response.headers()['content-type'] ?? '';
    const isScript = response.request().resourceType() === 'script' || /javascript/.test(type);
    const isStyle = response.request().resourceType() === 'stylesheet';
    if (!(isScript || isStyle) || response.status() !== 200) return;
    if (isScript) this.last = Date.now();
    this.reading.push(
      response.body().then(
        (body) => {
          const url = new URL(response.url()).pathname;
          (isScript ? this.scripts : this.styles).push({
            url,
            bytes: body.length,
            gzipped: gzipSync(body, { level: 9 }).length,
            imports: staticImports(body.toString('utf8'), url),
          });
        },
        () => {},
      ),
    );
  }

  /** Waits until no script has arrived for `quietMs`, and every body is read. */
  async settle(quietMs = 1500, maxMs = 45_000): Promise<Script[]> {
    const start = Date.now();
    while (Date.now() - this.last < quietMs && Date.now() - start < maxMs) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await Promise.all(this.reading);
    return [...this.scripts];
  }

  async releaseEditor(): Promise<void> {
    this.released = true;
    for (const route of this.held.splice(0)) await route.continue();
  }
}

/** The scripts the page's HTML names, with everything they import statically. */
function eagerScripts(html: string, scripts: Script[]): Script[] {
  const byUrl = new Map(scripts.map((s) => [s.url, s]));
  const queue = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => new URL(m[1]!, 'http://site/').pathname);
  const seen = new Set<string>();
  while (queue.length > 0) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    queue.push(...(byUrl.get(url)?.imports ?? []));
  }
  return scripts.filter((s) => seen.has(s.url));
}

const kB = (n: number) => `${(n / 1024).toFixed(1)} kB`;
const gz = (scripts: Script[]) => scripts.reduce((n, s) => n + s.gzipped, 0);
const editorLike = (s: Script) => EDITOR_CHUNK.test(s.url) || s.gzipped > LARGEST_PAGE_CHUNK;

function report(label: string, scripts: Script[], eager: Script[]): void {
  const raw = scripts.reduce((n, s) => n + s.bytes, 0);
  console.log(`${label}: ${scripts.length} scripts, ${kB(raw)} raw, ${kB(gz(scripts))} gzipped (${kB(gz(eager))} of it named by the HTML or imported by those)`);
  for (const s of [...scripts].sort((a, b) => b.gzipped - a.gzipped)) {
    console.log(`  ${eager.includes(s) ? 'eager' : 'lazy '} ${kB(s.gzipped).padStart(9)} gz ${kB(s.bytes).padStart(9)} raw  ${s.url}`);
  }
}

/** Opens `path` and returns its HTML. */
async function open(page: Page, path: string): Promise<string> {
  const response = await page.goto(path);
  expect(response?.status()).toBe(200);
  await page.waitForLoadState('load');
  return response!.text();
}

test.describe('page weight', () => {
  test.setTimeout(180_000);

  test('a plain lesson stays within its budget and loads neither terminal nor editor', async ({ page }) => {
    const lesson = readLessons().find((l) => l.sandbox === 'none');
    expect(lesson, 'the course has a lesson without a sandbox').toBeDefined();
    const watch = await ScriptWatch.on(page);
    const html = await open(page, lesson!.path);
    const scripts = await watch.settle();
    report(`plain lesson ${lesson!.path}`, scripts, eagerScripts(html, scripts));
    console.log(`  and ${watch.styles.length} stylesheets, ${kB(gz(watch.styles))} gzipped:`);
    for (const s of watch.styles) console.log(`        ${kB(s.gzipped).padStart(9)} gz ${kB(s.bytes).padStart(9)} raw  ${s.url}`);
    expect(scripts.length).toBeGreaterThan(0);
    expect(watch.heldEditor).toEqual([]);
    expect(scripts.filter((s) => editorLike(s) || /xterm|Terminal|mount-workspace/i.test(s.url))).toEqual([]);
    expect(gz(scripts)).toBeLessThanOrEqual(PLAIN_BUDGET);
  });

  test('a lesson with a workspace stays within its budget until the editor, which comes as a lazy chunk', async ({ page }) => {
    const lessons = readLessons();
    // An exercise with files in a Docker workspace: the heaviest page, terminal and editor both.
    const lesson = lessons.find((l) => l.sandbox === 'docker' && l.exercise) ?? lessons.find((l) => l.sandbox === 'docker');
    expect(lesson, 'the course has a lesson with a Docker sandbox').toBeDefined();
    const watch = await ScriptWatch.on(page);
    try {
      await page.setViewportSize({ width: 1440, height: 900 });
      const html = await open(page, lesson!.path);
      await expect(page.locator('.dy-terminal .xterm')).toBeAttached({ timeout: 60_000 });
      const before = await watch.settle();
      const eager = eagerScripts(html, before);
      report(`workspace lesson ${lesson!.path}, before the editor`, before, eager);
      await page.screenshot({ path: screenshotPath('page-weight-workspace') });

      expect(before.filter(editorLike)).toEqual([]);
      expect(gz(before)).toBeLessThanOrEqual(WORKSPACE_BUDGET);
      // The HTML names no editor chunk: it can only arrive through import().
      expect([...html.matchAll(/(?:src|href)="([^"]+\.m?js)"/g)].map((m) => m[1]!).filter((url) => EDITOR_CHUNK.test(url))).toEqual([]);

      const hasFiles = (await page.locator('.dy-workspace [role="tab"][data-path]').count()) > 0;
      if (!hasFiles) {
        expect(watch.heldEditor, 'a workspace without files asks for no editor').toEqual([]);
        return;
      }
      // A workspace with files asks for the editor by itself; let it through now.
      await expect.poll(() => watch.heldEditor.length, { timeout: 30_000 }).toBeGreaterThan(0);
      await watch.releaseEditor();
      await expect(page.locator('.dy-workspace')).toHaveAttribute('data-editor', 'ready', { timeout: 90_000 });
      const after = await watch.settle();
      const editor = after.filter((s) => !before.includes(s));
      report(`workspace lesson ${lesson!.path}, the editor's own scripts`, editor, []);
      expect(editor.some((s) => EDITOR_CHUNK.test(s.url) && s.gzipped > 100 * 1024), 'the editor is its own chunk').toBe(true);
    } finally {
      await watch.releaseEditor();
      await endSession(page, lesson!);
    }
  });

  test('the course overview, and a Docker lesson without an exercise if there is one, ask for no editor', async ({ page }) => {
    const watch = await ScriptWatch.on(page);
    const html = await open(page, '/');
    const scripts = await watch.settle();
    report('course overview /', scripts, eagerScripts(html, scripts));
    expect(scripts.some((s) => /CourseOverview/.test(s.url)), 'the overview script').toBe(true);
    expect(watch.heldEditor).toEqual([]);
    expect(scripts.filter((s) => editorLike(s) || /xterm|Terminal|mount-workspace/i.test(s.url))).toEqual([]);
    expect(gz(scripts)).toBeLessThanOrEqual(PLAIN_BUDGET);

    const lesson = readLessons().find((l) => l.sandbox === 'docker' && !l.exercise);
    if (!lesson) return;
    const tab = await page.context().newPage();
    const again = await ScriptWatch.on(tab);
    try {
      await open(tab, lesson.path);
      await expect(tab.locator('.dy-terminal .xterm')).toBeAttached({ timeout: 60_000 });
      const terminal = await again.settle();
      report(`workspace lesson ${lesson.path}, no exercise`, terminal, []);
      expect(again.heldEditor).toEqual([]);
      expect(terminal.filter(editorLike)).toEqual([]);
      expect(gz(terminal)).toBeLessThanOrEqual(WORKSPACE_BUDGET);
    } finally {
      await again.releaseEditor();
      await endSession(tab, lesson);
    }
  });
});
