import { expect, test } from '@playwright/test';
import { endSession, terminalRow as row, terminalText, typeCommand as run, waitTerminalReady as waitReady } from './course.ts';
import { screenshotPath } from './screenshots.ts';

const LESSON = '/why-containers/what-is-a-container/';
const SESSION_KEY = 'dockyard:session:why-containers:docker';

test.describe('the lesson terminal', () => {
  test.setTimeout(240_000);

  // Remove the sandbox a test started, so the next one starts clean.
  test.afterEach(async ({ page }) => {
    await endSession(page, { module: 'why-containers', sandbox: 'docker' });
  });

  test('runs docker in the sandbox and keeps it across a reload', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(LESSON);
    await waitReady(page);
    const terminal = page.getByRole('textbox', { name: 'Terminal: Docker sandbox' });
    await terminal.focus();
    await expect(page.locator('.dy-terminal-pane')).toHaveCSS('box-shadow', /inset/);

    await run(page, 'docker run --rm busybox echo hello');
    await expect(row(page, 'hello')).toBeVisible({ timeout: 90_000 });
    await run(page, 'docker volume create kept');
    await expect(row(page, 'kept')).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('terminal-dark') });
    const before = await page.evaluate((key) => localStorage.getItem(key), SESSION_KEY);

    await page.reload();
    await waitReady(page);
    expect(await page.evaluate((key) => localStorage.getItem(key), SESSION_KEY)).toBe(before);
    await run(page, 'docker volume ls');
    await expect(terminalText(page)).toContainText(/local\s+kept/, { timeout: 30_000 });
  });

  test('a runnable block types and runs its command, in the light theme too', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(LESSON);
    const button = page.getByRole('button', { name: /^Run in terminal: docker run --rm busybox echo/ });
    await expect(button).toBeVisible();
    await button.locator('..').screenshot({ path: screenshotPath('runnable-block-light') });
    await waitReady(page);
    await button.click();
    await expect(page.getByRole('textbox', { name: 'Terminal: Docker sandbox' })).toBeFocused();
    await expect(row(page, 'hello from a container')).toBeVisible({ timeout: 90_000 });
    await page.getByRole('region', { name: 'Workspace: Docker sandbox' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('terminal-light') });
  });

  test('the terminal fills its pane', async ({ page }) => {
    await page.goto(LESSON);
    await waitReady(page);
    const pane = await page.locator('.dy-terminal-pane').boundingBox();
    const screen = await page.locator('.dy-terminal .xterm-screen').boundingBox();
    expect(pane && screen).toBeTruthy();
    // Within a character cell and the pane's padding of the pane's size.
    expect(pane!.width - screen!.width).toBeLessThan(40);
    expect(pane!.height - screen!.height).toBeLessThan(40);
    await page.locator('.dy-workspace').screenshot({ path: screenshotPath('terminal-pane') });
  });

  test('pages without a sandbox ship no terminal code', async ({ page }) => {
    const scripts: string[] = [];
    page.on('request', (req) => scripts.push(req.url()));
    await page.goto('/');
    await page.waitForLoadState('networkidle');
    expect(scripts.filter((url) => /Terminal|xterm/i.test(url))).toEqual([]);
    await expect(page.locator('.xterm')).toHaveCount(0);
  });
});
