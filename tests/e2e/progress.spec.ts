import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { readLessons, terminalRow as row, terminalText, typeCommand as run, waitTerminalReady as waitReady, type LessonInfo } from './course.ts';
import { screenshotPath } from './screenshots.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PROGRESS_KEY = 'dockyard:progress:v1';

/** Where an element sits on the page (not the viewport), and its size. */
const pageBox = (locator: Locator) =>
  locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height };
  });

const sidebarLink = (page: Page, lesson: LessonInfo): Locator =>
  page.getByRole('navigation', { name: 'Main' }).locator(`a[href="${lesson.path}"]`);

const moduleBar = (page: Page, lesson: LessonInfo): Locator =>
  page.getByRole('progressbar', { name: `${lesson.moduleLabel}: exercises passed` });

/** Where every sidebar link is drawn: it must not move when marks appear. */
const sidebarBoxes = (page: Page) =>
  page
    .getByRole('navigation', { name: 'Main' })
    .locator('a')
    .evaluateAll((links) => links.map((a) => JSON.stringify(a.getBoundingClientRect())));

/** What the workspace announces after a Check (see site/workspace/verdict-view.ts). */
async function announceCheck(page: Page, detail: Record<string, unknown>): Promise<void> {
  await page.evaluate((d) => window.dispatchEvent(new CustomEvent('dockyard:check', { detail: d })), detail);
}

test.describe('progress without a sandbox', () => {
  // These tests need no sandbox: refuse to start one, so lesson pages with a workspace leave none behind.
  test.beforeEach(async ({ context }) => {
    await context.route('**/api/sessions', (route) => route.abort('blockedbyclient'));
  });

  test('a passed Check marks the lesson in the sidebar, in every tab, without moving anything, and survives a reload', async ({
    page,
    context,
  }) => {
    const lesson = readLessons().find((l) => l.exercise);
    expect(lesson, 'a lesson has an exercise').toBeDefined();
    await page.goto(lesson!.path);
    const link = sidebarLink(page, lesson!);
    await expect(link).toHaveAttribute('data-dy-exercise', lesson!.exercise!);
    await expect(link).not.toHaveAttribute('data-dy-done', /.*/);
    await expect(link).toHaveAccessibleName(lesson!.title);
    const before = await sidebarBoxes(page);

    // The course overview, open in a second tab, follows along.
    const overview = await context.newPage();
    await overview.goto('/');
    await expect(moduleBar(overview, lesson!)).toHaveAttribute('aria-valuenow', '0');

    await announceCheck(page, { exercise: lesson!.exercise, module: lesson!.module, status: 'fail', score: 1, maxScore: 3 });
    await expect(overview.locator(`[data-dy-exercise-status="${lesson!.exercise}"]`).first()).toContainText('Tried, not passed yet');
    await expect(link).not.toHaveAttribute('data-dy-done', /.*/);

    await announceCheck(page, { exercise: lesson!.exercise, module: lesson!.module, status: 'pass', score: 3, maxScore: 3 });
    await expect(link).toHaveAttribute('data-dy-done', '');
    await expect(link).toHaveAccessibleName(`${lesson!.title} done`);
    expect(await sidebarBoxes(page)).toEqual(before);
    await expect(moduleBar(overview, lesson!)).toHaveAttribute('aria-valuenow', '1');
    await expect(overview.locator(`[data-dy-exercise-status="${lesson!.exercise}"]`).first()).toContainText('Passed, 3 of 3 points');

    // A later failing Check does not take the pass away.
    await announceCheck(page, { exercise: lesson!.exercise, module: lesson!.module, status: 'fail', score: 0, maxScore: 3 });
    await page.reload();
    await expect(sidebarLink(page, lesson!)).toHaveAttribute('data-dy-done', '');
    await sidebarLink(page, lesson!).scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('progress-sidebar-mark') });
  });

  test('the overview sends a new student to the first lesson, then back to the last lesson read', async ({ page }) => {
    const first = readLessons()[0]!;
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/');
    const overview = page.getByRole('region', { name: 'Your progress' });
    const start = overview.getByRole('link', { name: /Begin with the first lesson/ });
    await expect(start).toHaveAttribute('href', first.path);
    await expect(start).toContainText(first.title);
    const box = await pageBox(start);
    await expect(overview.getByRole('progressbar')).not.toHaveCount(0);

    // A lesson of the last module, as the overview lists it.
    const lastModule = overview.locator('[data-dy-module]').last();
    const later = lastModule.locator('[data-dy-lesson]').first();
    const path = (await later.getAttribute('href'))!;
    const title = (await later.textContent())!.trim();
    const moduleLabel = (await lastModule.getAttribute('data-label'))!;
    await later.click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    // Every page's header leads back to the overview.
    await page.getByRole('banner').getByRole('link', { name: 'Your progress' }).click();
    await expect(page).toHaveURL(/\/#progress$/);
    const resume = overview.getByRole('link', { name: /Continue where you left off/ });
    await expect(resume).toHaveAttribute('href', path);
    await expect(resume).toContainText(title);
    await expect(resume).toContainText(moduleLabel);
    // The link keeps its place and size: nothing below it moves.
    expect(await pageBox(resume)).toEqual(box);
    await resume.focus();
    await page.screenshot({ path: screenshotPath('progress-overview-continue'), fullPage: true });
    await resume.press('Enter');
    await expect(page).toHaveURL(new RegExp(`${path}$`));
  });

  test('damaged stored progress is replaced, not fatal', async ({ page }) => {
    const lesson = readLessons().find((l) => l.exercise)!;
    await page.goto('/');
    await page.evaluate((key) => localStorage.setItem(key, '{"version":1,"exercises":{"x":'), PROGRESS_KEY);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(lesson.path);
    await expect(sidebarLink(page, lesson)).toHaveAttribute('data-dy-exercise', /.+/);
    const stored = JSON.parse((await page.evaluate((key) => localStorage.getItem(key), PROGRESS_KEY))!);
    expect(stored).toMatchObject({ version: 1, exercises: {}, lastLesson: { path: lesson.path, title: lesson.title, module: lesson.module } });
    expect(errors).toEqual([]);
  });
});

test.describe('a terminal exercise, done for real', () => {
  test.setTimeout(300_000);
  const SLUG = 'terminal-shared-volume';

  test.afterEach(async ({ page, request }) => {
    const lesson = readLessons().find((l) => l.exercise === SLUG);
    if (!lesson) return;
    const key = `dockyard:session:${lesson.module}:docker`;
    const raw = await page.evaluate((k) => localStorage.getItem(k), key).catch(() => null);
    if (!raw) return;
    const { id, token } = JSON.parse(raw) as { id: string; token: string };
    const res = await request.delete(`/api/sessions/${id}`, { headers: { authorization: `Bearer ${token}` } });
    expect([204, 404]).toContain(res.status());
  });

  test('typed commands pass Check; the sidebar and the overview show it done, after a reload too', async ({ page }) => {
    const lesson = readLessons().find((l) => l.exercise === SLUG);
    expect(lesson, `a lesson listed in content/ has "exercise: ${SLUG}"`).toBeDefined();
    const commands = readFileSync(join(ROOT, 'exercises', SLUG, 'solution', 'commands.sh'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));

    await page.goto(lesson!.path);
    await waitReady(page);
    for (const command of commands) await run(page, command);
    try {
      await expect(row(page, 'Hello from the first container')).toBeVisible({ timeout: 120_000 });
      await expect(row(page, 'Changed by the second container')).toBeVisible({ timeout: 30_000 });
    } catch (err) {
      console.log(`The terminal shows:\n${await terminalText(page).innerText()}`);
      throw err;
    }

    const check = page.locator('[data-action="check"]');
    await check.scrollIntoViewIfNeeded();
    await check.click();
    const verdict = page.locator('[data-role="verdict"]');
    await expect(verdict).not.toHaveAttribute('data-tone', 'busy', { timeout: 120_000 });
    await expect(verdict).toContainText(/All \d+ checks? pass/);
    // Every check is listed, and every one passed.
    await expect(verdict.locator('.dy-check')).not.toHaveCount(0);
    await expect(verdict.locator('.dy-check:not([data-status="pass"])')).toHaveCount(0);
    await verdict.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('progress-terminal-check') });

    const link = sidebarLink(page, lesson!);
    await expect(link).toHaveAttribute('data-dy-done', '');
    await expect(link).toHaveAccessibleName(`${lesson!.title} done`);
    await link.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('progress-terminal-sidebar') });

    await page.goto('/');
    const bar = moduleBar(page, lesson!);
    await expect(bar).toHaveAttribute('aria-valuenow', '1');
    await expect(bar).toHaveAttribute('aria-valuetext', /^1 of \d+ exercises? passed$/);
    await expect(page.getByRole('link', { name: /Continue where you left off/ })).toHaveAttribute('href', lesson!.path);
    await bar.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('progress-overview') });

    await page.reload();
    await expect(moduleBar(page, lesson!)).toHaveAttribute('aria-valuenow', '1');
    await page.goto(lesson!.path);
    await expect(sidebarLink(page, lesson!)).toHaveAttribute('data-dy-done', '');
  });
});
