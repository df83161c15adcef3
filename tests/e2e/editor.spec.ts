import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { expect, test, type Page } from '@playwright/test';
import { endSession, lessonFor } from './course.ts';
import { check, clickEditor, editorLines, openEditor, replaceText, verdict, workspace } from './workspace.ts';
import { screenshotPath } from './screenshots.ts';

const exerciseFile = (slug: string, ...path: string[]) => readFileSync(join(import.meta.dirname, '..', '..', 'exercises', slug, ...path), 'utf8');

const draft = (page: Page, slug: string, path: string) =>
  page.evaluate(([s, p]) => localStorage.getItem(`dockyard:draft:${s}:${p}`), [slug, path] as const);

test.describe('the exercise editor', () => {
  test('a Dockerfile exercise: the starter fails with a hint, an edit in the editor passes', async ({ page }) => {
    test.setTimeout(480_000);
    const lesson = lessonFor('dockerfile-python-app');
    try {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(lesson.path);
      const before = await workspace(page).boundingBox();
      // The editor loads into the box the page reserved: nothing moves.
      await expect(workspace(page)).toHaveAttribute('data-editor', 'ready', { timeout: 60_000 });
      expect(await workspace(page).boundingBox()).toEqual(before);
      await openEditor(page, lesson);
      // Wide screen: the workspace sits beside the lesson text.
      const text = await page.locator('.dy-lesson__text').boundingBox();
      expect(before!.x).toBeGreaterThan(text!.x + text!.width - 1);

      // Tabs: app.py is read-only, reached with the arrow keys.
      const tabs = workspace(page).getByRole('tab');
      await expect(tabs).toHaveText([/^Dockerfile/, /^app\.py\s*read-only/]);
      await tabs.first().focus();
      await page.keyboard.press('ArrowRight');
      await expect(tabs.nth(1)).toBeFocused();
      await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
      await expect(editorLines(page)).toContainText('Hello from a container!');
      // Typing into a read-only file changes nothing and stores nothing.
      await clickEditor(page);
      await page.keyboard.press('ControlOrMeta+Home');
      await page.keyboard.type('x');
      await expect(editorLines(page)).toContainText('"""A tiny web app');
      await expect(editorLines(page)).not.toContainText('x"""A tiny');
      expect(await draft(page, 'dockerfile-python-app', 'app.py')).toBeNull();
      await tabs.first().click();

      const failed = await check(page);
      await expect(failed).toHaveAttribute('data-tone', 'fail');
      await expect(failed.locator('.dy-check[data-status="fail"]').first()).toBeFocused();
      await expect(failed).toContainText(/Score: \d+ \/ \d+/);
      await expect(failed.locator('.dy-check__hint').first()).toContainText('Hint:');
      await page.screenshot({ path: screenshotPath('editor-dockerfile-fail') });

      await replaceText(page, exerciseFile('dockerfile-python-app', 'solution', 'Dockerfile'));
      await expect(editorLines(page)).toContainText('USER app');
      await expect.poll(() => draft(page, 'dockerfile-python-app', 'Dockerfile')).toContain('USER app');

      const events: unknown[] = [];
      await page.exposeFunction('recordCheck', (detail: unknown) => events.push(detail));
      await page.evaluate(() => addEventListener('dockyard:check', (e) => (window as any).recordCheck((e as CustomEvent).detail)));
      const passed = await check(page);
      await expect(passed).toHaveAttribute('data-tone', 'pass');
      await expect(passed.locator('.dy-check[data-status="fail"]')).toHaveCount(0);
      await expect(passed.locator('.dy-verdict__title')).toBeFocused();
      await expect.poll(() => events).toEqual([
        expect.objectContaining({ exercise: 'dockerfile-python-app', module: 'dockerfiles', status: 'pass' }),
      ]);
      await page.screenshot({ path: screenshotPath('editor-dockerfile-pass') });
    } finally {
      await endSession(page, lesson);
    }
  });

  test('a Python exercise: Run streams the output as it is printed, and Check passes', async ({ page }) => {
    test.setTimeout(240_000);
    const lesson = lessonFor('asyncio-gather');
    await page.emulateMedia({ colorScheme: 'light' });
    await openEditor(page, lesson);
    const solution = exerciseFile('asyncio-gather', 'solution', 'main.py');
    // The reference, with a main that prints once a second, so the output arrives in steps.
    const program = solution.replace(
      /if __name__ == "__main__":[\s\S]*$/,
      [
        'async def main():',
        '    for i in range(1, 4):',
        '        print(f"tick {i}")',
        '        await asyncio.sleep(1)',
        '    print(await fetch_all())',
        '',
        '',
        'if __name__ == "__main__":',
        '    asyncio.run(main())',
        '',
      ].join('\n'),
    );
    expect(program).toContain('async def main():');
    await replaceText(page, program);

    const output = page.getByRole('log');
    await workspace(page).getByRole('button', { name: 'Run', exact: true }).click();
    await expect(workspace(page).getByRole('button', { name: 'Stop' })).toBeVisible();
    // The first line shows while the program still runs: the rest comes seconds later.
    await expect(output).toContainText('tick 1', { timeout: 60_000 });
    const early = await output.textContent();
    expect(early).not.toContain("['a', 'b', 'c']");
    await expect(output).toHaveAttribute('data-state', 'running');
    await expect(output).toContainText("['a', 'b', 'c']", { timeout: 30_000 });
    await expect(output).toHaveAttribute('data-state', 'exited');
    await expect(output).toContainText('The program finished.');
    await expect(workspace(page).getByRole('button', { name: 'Run', exact: true })).toBeVisible();
    await page.screenshot({ path: screenshotPath('editor-python-run') });

    const passed = await check(page);
    await expect(passed).toHaveAttribute('data-tone', 'pass');
    await expect(passed).toContainText('Score:');
    await page.screenshot({ path: screenshotPath('editor-python-check') });
  });

  test('Stop ends a run that would go on, and an error says what went wrong', async ({ page }) => {
    test.setTimeout(180_000);
    const lesson = lessonFor('asyncio-gather');
    await openEditor(page, lesson);
    await replaceText(page, 'import time\nprint("started", flush=True)\nwhile True:\n    time.sleep(0.2)\n');
    const output = page.getByRole('log');
    await workspace(page).getByRole('button', { name: 'Run', exact: true }).click();
    await expect(output).toContainText('started', { timeout: 60_000 });
    await workspace(page).getByRole('button', { name: 'Stop' }).click();
    await expect(output).toHaveAttribute('data-state', 'stopped', { timeout: 15_000 });
    await expect(workspace(page).getByRole('button', { name: 'Run', exact: true })).toBeEnabled();

    await replaceText(page, 'def broken(:\n    pass\n');
    const failed = await check(page);
    await expect(failed).toHaveAttribute('data-tone', 'error');
    await expect(failed.locator('.dy-verdict__title')).toHaveText('The check stopped with an error');
    // The server's words say what and where, once.
    await expect(failed.locator('.dy-verdict__detail')).toHaveText(/^SyntaxError in main\.py \(line 1\b[^\n]*$/m);
    await failed.screenshot({ path: screenshotPath('editor-syntax-error') });
  });

  test("a lesson's Python example runs into the output pane, and the draft is left alone", async ({ page }) => {
    test.setTimeout(180_000);
    const lesson = lessonFor('asyncio-gather');
    await openEditor(page, lesson);
    const draftBefore = await editorLines(page).textContent();
    const example = page.getByRole('button', { name: 'Run this example' }).first();
    await example.scrollIntoViewIfNeeded();
    await example.click();
    const output = page.getByRole('log');
    await expect(output).toContainText('calling greet gave a coroutine', { timeout: 60_000 });
    await expect(output).toContainText('asyncio.run returned 3');
    await expect(output).toHaveAttribute('data-state', 'exited');
    expect(await editorLines(page).textContent()).toBe(draftBefore);
    await workspace(page).screenshot({ path: screenshotPath('editor-python-example') });
  });

  test('drafts survive a reload mid-edit; Solution shows a diff and leaves the draft alone', async ({ page }) => {
    test.setTimeout(120_000);
    const lesson = lessonFor('asyncio-gather');
    const starter = exerciseFile('asyncio-gather', 'starter', 'main.py');
    // Tall enough for Monaco to draw every line of the diff.
    await page.setViewportSize({ width: 1440, height: 1100 });
    await openEditor(page, lesson);
    await expect(editorLines(page)).toContainText('async def fetch_all');

    // Type, then reload at once: the draft is written when the page goes away.
    await clickEditor(page);
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.type('# my draft: gather them\n');
    await page.reload();
    await expect(workspace(page)).toHaveAttribute('data-editor', 'ready', { timeout: 60_000 });
    await expect(editorLines(page)).toContainText('# my draft: gather them');
    const saved = await draft(page, 'asyncio-gather', 'main.py');
    expect(saved).toBe(`# my draft: gather them\n${starter}`);
    await expect(workspace(page).getByRole('tab', { name: /main\.py/ })).toHaveClass(/dy-tab--changed/);

    // Solution: the draft beside the reference, in Monaco's diff view.
    const solutionButton = workspace(page).getByRole('button', { name: 'Solution' });
    await solutionButton.click();
    await expect(solutionButton).toHaveAttribute('aria-pressed', 'true');
    const diff = page.locator('.dy-editor__diff');
    await expect(diff).toBeVisible();
    await expect(diff.locator('.monaco-diff-editor')).toBeVisible();
    await expect(diff.locator('.editor.original .view-lines:not(.line-delete)')).toContainText('# my draft: gather them');
    await expect(diff.locator('.editor.modified .view-lines:not(.line-delete)')).toContainText('asyncio.gather');
    // Monaco marks what only the draft has and what only the solution has.
    await expect(diff.locator('[class*="line-delete"]').first()).toBeAttached({ timeout: 15_000 });
    await expect(diff.locator('[class*="line-insert"]').first()).toBeAttached({ timeout: 15_000 });
    await page.screenshot({ path: screenshotPath('editor-solution-diff') });
    await page.getByRole('button', { name: 'Back to editing' }).click();
    await expect(diff).toBeHidden();
    await expect(solutionButton).toBeFocused();
    expect(await draft(page, 'asyncio-gather', 'main.py')).toBe(saved);
    await expect(editorLines(page)).toContainText('# my draft: gather them');

    // Download my files: a zip of the drafts.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      workspace(page).getByRole('button', { name: 'Download my files' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('asyncio-gather.zip');
    const zipped = unzipSync(new Uint8Array(readFileSync(await download.path())));
    expect(Object.keys(zipped)).toEqual(['asyncio-gather/main.py']);
    expect(strFromU8(zipped['asyncio-gather/main.py']!)).toBe(saved);

    // Reset asks first; keeping the work changes nothing.
    const reset = workspace(page).getByRole('button', { name: 'Reset' });
    await reset.click();
    const dialog = page.getByRole('dialog', { name: 'Go back to the starter files?' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Keep my work' }).click();
    expect(await draft(page, 'asyncio-gather', 'main.py')).toBe(saved);
    await reset.click();
    await dialog.getByRole('button', { name: 'Reset' }).click();
    await expect(editorLines(page)).not.toContainText('# my draft');
    await expect.poll(() => draft(page, 'asyncio-gather', 'main.py')).toBeNull();
    await page.reload();
    await expect(workspace(page)).toHaveAttribute('data-editor', 'ready', { timeout: 60_000 });
    await expect(editorLines(page)).not.toContainText('# my draft');
  });

  test('narrow screens stack the lesson and the workspace', async ({ page }) => {
    const lesson = lessonFor('asyncio-gather');
    await page.setViewportSize({ width: 800, height: 900 });
    await openEditor(page, lesson);
    const text = await page.locator('.dy-lesson__text').boundingBox();
    const box = await workspace(page).boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(text!.y + text!.height);
    await expect(page.locator('.dy-lesson__splitter')).toBeHidden();
    await workspace(page).screenshot({ path: screenshotPath('editor-narrow') });
  });
});
