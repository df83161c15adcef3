import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { readLessons, waitTerminalReady, type LessonInfo } from './course.ts';
import { screenshotPath } from './screenshots.ts';

interface Made {
  id: string;
  token: string;
}

/** Takes sandboxes for this address until the server refuses one, then gives `free` back: the cap is `free` away. */
async function leaveFree(request: APIRequestContext, free: number): Promise<Made[]> {
  const held: Made[] = [];
  for (;;) {
    const res = await request.post('/api/sessions', { data: { kind: 'python' } });
    if (res.status() === 429) break;
    expect(res.status(), await res.text()).toBe(201);
    held.push(await res.json());
    expect(held.length, 'the per-visitor cap is reached within 100 sandboxes').toBeLessThan(100);
  }
  for (const s of held.splice(0, free)) await end(request, s);
  return held;
}

const end = async (request: APIRequestContext, s: Made) => {
  const res = await request.delete(`/api/sessions/${s.id}`, { headers: { authorization: `Bearer ${s.token}` } });
  expect([204, 404]).toContain(res.status());
};

/** Every sandbox this browser holds, as its pages stored them. */
const browserSessions = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('dockyard:session:'))
      .map((k) => JSON.parse(localStorage.getItem(k)!) as { id: string; token: string }),
  );

test('an anonymous student who opens every module in a row always gets a sandbox or a button that makes room', async ({ page, request }) => {
  test.setTimeout(900_000);
  // Each module's lessons with a sandbox, in course order.
  const modules = new Map<string, LessonInfo[]>();
  for (const l of readLessons()) if (l.sandbox !== 'none') modules.set(l.module, [...(modules.get(l.module) ?? []), l]);
  expect(modules.size).toBeGreaterThanOrEqual(4);
  // Everything else this address may hold is taken, as by classmates behind one school address: three are left.
  const others = await leaveFree(request, 3);
  let opened = 0;
  let capsMet = 0;
  try {
    for (const lessons of modules.values()) {
      // The module's first lesson whose workspace has a terminal (a Python exercise has an output pane instead).
      let lesson: LessonInfo | undefined;
      for (const candidate of lessons) {
        await page.goto(candidate.path);
        if ((await page.locator('.dy-terminal').count()) > 0) {
          lesson = candidate;
          break;
        }
      }
      if (!lesson) continue;
      opened++;
      const status = page.locator('.dy-workspace__status');
      const choice = page.getByRole('group', { name: 'Your other sandboxes' });
      await page.locator('.dy-terminal-pane').scrollIntoViewIfNeeded();
      // Either the sandbox starts, or the student is shown what to end.
      await expect(async () => {
        const ready = (await status.textContent()) === 'Ready';
        const offered = await choice.isVisible();
        expect(ready || offered, `${lesson.path}: ready, or a choice offered`).toBe(true);
      }).toPass({ timeout: 120_000 });
      if (await choice.isVisible()) {
        capsMet++;
        const ends = choice.getByRole('button', { name: /^End the sandbox / });
        await expect(ends.first()).toBeVisible();
        expect(await ends.count(), 'every sandbox this browser holds is offered').toBe(3);
        if (capsMet === 1) await page.screenshot({ path: screenshotPath('session-cap-choice') });
        await ends.first().click();
        await expect(choice).toBeHidden({ timeout: 30_000 });
      }
      await waitTerminalReady(page);
      await expect(page.locator('.dy-workspace')).toHaveAttribute('data-state', 'ready');
    }
    // Three modules fit; every later one met the cap, and got past it.
    expect(opened).toBeGreaterThanOrEqual(4);
    expect(capsMet).toBe(opened - 3);
    await page.screenshot({ path: screenshotPath('session-cap-last-module') });
  } finally {
    for (const s of [...others, ...(await browserSessions(page).catch(() => []))]) await end(request, s);
  }
});
