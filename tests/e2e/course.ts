import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { expect, type Page } from '@playwright/test';
import { readModules } from '../../site/course/sidebar.ts';

/** A lesson page of the course and what its frontmatter says. */
export interface LessonInfo {
  path: string;
  title: string;
  module: string;
  moduleLabel: string;
  sandbox: string;
  exercise?: string | undefined;
}

const CONTENT = join(import.meta.dirname, '..', '..', 'content');

/** The lessons listed in content/<module>/_module.json, in course order, read when a test asks (no path is fixed in a test). */
export function readLessons(): LessonInfo[] {
  // The sidebar's own reading of _module.json, with its schema.
  const modules = readModules(CONTENT, () => {});
  const lessons: LessonInfo[] = [];
  for (const module of modules) {
    for (const name of module.lessons) {
      const file = join(CONTENT, module.slug, `${name}.mdx`);
      if (!existsSync(file)) continue;
      const front = readFileSync(file, 'utf8').match(/^---\n([\s\S]*?)\n---/)?.[1] ?? '';
      const data = (load(front) ?? {}) as { title: string; sandbox?: string; exercise?: string };
      lessons.push({
        path: `/${module.slug}/${name}/`,
        title: data.title,
        module: module.slug,
        moduleLabel: module.label,
        sandbox: data.sandbox ?? 'none',
        exercise: data.exercise,
      });
    }
  }
  return lessons;
}

/** The first lesson whose workspace holds `exercise`. */
export function lessonFor(exercise: string): LessonInfo {
  const lesson = readLessons().find((l) => l.exercise === exercise && l.sandbox !== 'none');
  if (!lesson) throw new Error(`no lesson in content/ has "exercise: ${exercise}" and a sandbox`);
  return lesson;
}

/** Ends the sandbox session a lesson's workspace started, if it started one. */
export async function endSession(page: Page, lesson: Pick<LessonInfo, 'module' | 'sandbox'>): Promise<void> {
  const key = `dockyard:session:${lesson.module}:${lesson.sandbox}`;
  const raw = await page.evaluate((k) => localStorage.getItem(k), key).catch(() => null);
  if (!raw) return;
  const { id, token } = JSON.parse(raw) as { id: string; token: string };
  await page.request.delete(`/api/sessions/${id}`, { headers: { authorization: `Bearer ${token}` } });
}

/** The text the terminal shows, read from xterm's rendered rows. */
export const terminalText = (page: Page) => page.locator('.dy-terminal .xterm-rows');

/** A terminal row that shows exactly `text` (output, not the echoed command). */
export const terminalRow = (page: Page, text: string) =>
  page.locator('.dy-terminal .xterm-rows > div').filter({ hasText: new RegExp(`^\\s*${text}\\s*$`) }).first();

/** Waits until the workspace says Ready and the shell's prompt is drawn. */
export async function waitTerminalReady(page: Page): Promise<void> {
  // xterm draws only while it is on screen.
  await page.locator('.dy-terminal-pane').scrollIntoViewIfNeeded();
  await expect(async () => {
    await expect(page.locator('.dy-workspace__status')).toHaveText('Ready', { timeout: 1000 });
  }).toPass({ timeout: 120_000 });
  await expect(terminalText(page)).toContainText(/[$#]/, { timeout: 30_000 });
}

/** Types `command` into the terminal of a `label` sandbox and presses Enter. */
export async function typeCommand(page: Page, command: string, label = 'Docker sandbox'): Promise<void> {
  await page.getByRole('textbox', { name: `Terminal: ${label}` }).focus();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}
