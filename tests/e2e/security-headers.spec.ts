import { expect, test, type Page } from '@playwright/test';
import { endSession, lessonFor, readLessons, terminalRow, typeCommand, waitTerminalReady } from './course.ts';
import { screenshotPath } from './screenshots.ts';
import { check, editorLines, openEditor, pageSolution, replaceText, workspace } from './workspace.ts';

/** Collects every Content-Security-Policy violation the page reports, from its first script on. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.exposeFunction('dyViolation', (line: string) => seen.push(line));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { dyViolation(line: string): void }).dyViolation(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  // The browser also says so on the console (a worker's violations are only told there).
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) seen.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => seen.push(`page error: ${e.message}`));
  return seen;
}

test.use({ actionTimeout: 60_000 });

test('every kind of course page sends the security headers and its policy', async ({ request }) => {
  const lesson = lessonFor('asyncio-gather');
  for (const path of ['/', readLessons()[0]!.path, lesson.path, '/no/such/lesson/']) {
    const res = await request.get(path);
    const headers = res.headers();
    expect(headers['x-frame-options'], path).toBe('DENY');
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['referrer-policy'], path).toBe('same-origin');
    const csp = headers['content-security-policy'] ?? '';
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toContain("object-src 'none'");
    expect(csp, path).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+(;|$)/);
    expect(csp, path).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  }
  // The built assets are sent as what they are.
  const home = await (await request.get('/')).text();
  const asset = /src="(\/_astro\/[^"]+\.js)"/.exec(home)?.[1];
  expect(asset, 'the home page loads a script of the site').toBeDefined();
  expect((await request.get(asset!)).headers()['x-content-type-options']).toBe('nosniff');
});

test('under the policy the workspace works: terminal, editor, Run, Check and the search, with no violation', async ({ page }) => {
  test.setTimeout(300_000);
  const terminalLesson = readLessons().find((l) => l.sandbox === 'docker' && l.exercise);
  expect(terminalLesson, 'a lesson has a docker sandbox and an exercise').toBeDefined();
  const pythonLesson = lessonFor('asyncio-gather');
  const violations = await watchViolations(page);
  try {
    // The terminal: xterm, its styles and the WebSocket; Check on the live sandbox.
    await page.goto(terminalLesson!.path);
    await waitTerminalReady(page);
    await typeCommand(page, 'echo csp-$((6*7))');
    await expect(terminalRow(page, 'csp-42')).toBeVisible({ timeout: 30_000 });
    await expect(await check(page)).toHaveAttribute('data-tone', /pass|fail/);
    await page.screenshot({ path: screenshotPath('csp-terminal') });

    // Monaco: its worker, its styles, its fonts; then Run and Check.
    await openEditor(page, pythonLesson);
    const path = JSON.parse((await page.locator('script.dy-exercise-data').textContent()) ?? '{}').files[0].path as string;
    await replaceText(page, await pageSolution(page, path));
    await expect(editorLines(page)).toContainText('asyncio');
    await workspace(page).getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByRole('log')).toHaveAttribute('data-state', 'exited', { timeout: 60_000 });
    await expect(await check(page)).toHaveAttribute('data-tone', 'pass');
    await page.screenshot({ path: screenshotPath('csp-editor') });

    // The site search: Pagefind's scripts and its WebAssembly index reader.
    await page.getByRole('button', { name: 'Search' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Search' });
    await dialog.getByRole('textbox').fill('volume');
    await expect(dialog.locator('.pagefind-ui__result').first()).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('csp-search') });
    expect(violations).toEqual([]);
  } finally {
    await endSession(page, terminalLesson!);
  }
});
