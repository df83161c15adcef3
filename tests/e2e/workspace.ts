import { expect, type Locator, type Page } from '@playwright/test';
import type { LessonInfo as Lesson } from './course.ts';

/* The lesson's workspace as a student uses it: its editor, its Check button, its instructions. */

export const workspace = (page: Page) => page.locator('section.dy-workspace');
export const verdict = (page: Page) => page.locator('[data-role="verdict"]');
export const editorLines = (page: Page) => page.locator('.dy-editor__monaco .view-lines');

/** Opens the lesson and waits until Monaco has replaced the plain-text view of the files. */
export async function openEditor(page: Page, lesson: Lesson): Promise<void> {
  await page.goto(lesson.path);
  await workspace(page).scrollIntoViewIfNeeded();
  // Monaco is a few megabytes to parse: on a busy two-core machine that can take a while.
  await expect(workspace(page)).toHaveAttribute('data-editor', 'ready', { timeout: 120_000 });
  await expect(editorLines(page)).toBeVisible();
}

/** Puts the cursor in the editor: a click on its first line (the middle of a long file may be out of its view). */
export async function clickEditor(page: Page): Promise<void> {
  await editorLines(page).click({ position: { x: 40, y: 8 } });
}

/** Replaces the whole text of the open file, as a student pasting it would (typing would auto-indent). */
export async function replaceText(page: Page, text: string): Promise<void> {
  await clickEditor(page);
  await page.keyboard.press('ControlOrMeta+A');
  await page.evaluate((pasted) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
  await expect.poll(() => page.locator('.dy-editor__monaco .view-line').count()).toBeGreaterThan(1);
}

/** Presses Check and waits for the verdict (checks build images in a fresh engine: this can take a while). */
export async function check(page: Page): Promise<Locator> {
  const button = workspace(page).locator('[data-action="check"]');
  await button.click();
  await expect(button).toBeDisabled();
  await expect(verdict(page)).not.toHaveAttribute('data-tone', 'busy', { timeout: 200_000 });
  await expect(button).toBeEnabled();
  return verdict(page);
}


/** The exercise's instructions panel in the workspace. */
export const instructions = (page: Page) => workspace(page).getByRole('region', { name: 'Instructions' });

/** One numbered step of the instructions: its words, its code spans and its bold words, as the page shows them. */
export interface InstructionStep {
  text: string;
  code: string[];
  strong: string[];
}

/** The numbered steps of the exercise's instructions, read from the page. */
export async function instructionSteps(page: Page): Promise<InstructionStep[]> {
  const steps = instructions(page).locator('.dy-instructions__text ol > li');
  await expect(steps.first()).toBeVisible();
  const out: InstructionStep[] = [];
  for (const step of await steps.all()) {
    out.push({ text: await step.innerText(), code: await step.locator('code').allInnerTexts(), strong: await step.locator('strong').allInnerTexts() });
  }
  return out;
}

/**
 * Reveals the hints with their button, one at a time, checking that the button counts them
 * and that each revealed hint gets the focus; returns each hint's text.
 */
export async function revealHints(page: Page, count?: number): Promise<string[]> {
  const panel = instructions(page);
  const button = panel.getByRole('button', { name: /^Show a hint, \d+ of \d+$/ });
  const label = (await button.textContent()) ?? '';
  const [, first, of] = /(\d+) of (\d+)/.exec(label) ?? [];
  const total = Number(of);
  expect(total).toBeGreaterThan(0);
  const texts: string[] = [];
  for (let n = Number(first); n <= Math.min(total, count ?? total); n++) {
    await expect(button).toHaveText(`Show a hint, ${n} of ${total}`);
    await button.click();
    const hint = panel.locator('.dy-hint').nth(n - 1);
    await expect(hint).toBeVisible();
    await expect(hint).toBeFocused();
    await expect(panel.locator('.dy-hint:visible')).toHaveCount(n);
    texts.push(await hint.innerText());
  }
  if ((count ?? total) >= total) await expect(button).toBeHidden();
  return texts;
}

/** The exercise as the page embeds it: its files' starters, as the student first sees them. */
export async function pageStarter(page: Page, path: string): Promise<string> {
  const data = JSON.parse((await page.locator('script.dy-exercise-data').textContent()) ?? '{}') as { files: { path: string; starter: string }[] };
  const file = data.files.find((f) => f.path === path);
  expect(file, `the page has the file ${path}`).toBeDefined();
  return file!.starter;
}

/** The exercise's reference solution of `path`, as the page embeds it for its Solution view. */
export async function pageSolution(page: Page, path: string): Promise<string> {
  const data = JSON.parse((await page.locator('script.dy-exercise-data').textContent()) ?? '{}') as { solution: Record<string, string> };
  const text = data.solution?.[path];
  expect(text, `the page has the solution of ${path}`).toBeDefined();
  return text!;
}

/**
 * The asyncio-gather program as its hints lead to it, read from the page: every hint revealed,
 * the last one (the line itself, `return await asyncio.gather(…)`) put in fetch_all's body.
 */
export async function gatherProgramFromHints(page: Page): Promise<{ line: string; program: string }> {
  const hints = await revealHints(page);
  const line = hints.at(-1)!.trim();
  expect(line).toMatch(/^return await asyncio\.gather\(/);
  const starter = await pageStarter(page, 'main.py');
  const program = starter.replace(/(async def fetch_all\(\):\n)(?:    .*\n|\n(?=    ))*/, `$1    ${line}\n`);
  expect(program).not.toBe(starter);
  return { line, program };
}
