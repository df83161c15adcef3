import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { screenshotPath } from './screenshots.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** POSTs JSON from the page itself, as the course's scripts do (same origin, the cookie rides along). */
async function post(page: Page, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return page.evaluate(
    async ({ path, body }) => {
      const res = await fetch(path, {
        method: 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
    { path, body },
  );
}

const me = (page: Page) => page.evaluate(async () => {
  const res = await fetch('/api/auth/me');
  return { status: res.status, body: await res.json() };
});

/** A one-time sign-in link for an instructor, printed by the command an operator runs. */
function instructorLink(baseURL: string, email: string): string {
  const out = execFileSync(process.execPath, ['scripts/instructor-new.ts', '--email', email, '--name', 'Grace Hopper'], {
    cwd: ROOT,
    env: { ...process.env, DOCKYARD_PUBLIC_URL: baseURL },
    encoding: 'utf8',
  });
  const link = /^(http\S+\/sign-in\?token=\S+)$/m.exec(out)?.[1];
  if (!link) throw new Error(`instructor:new printed no link:\n${out}`);
  return link;
}

test('an instructor signs in by link and makes a class; a student joins by its link, then signs in on a second device', async ({ browser, baseURL }) => {
  // Five browsers, each landing on the course's home page.
  test.setTimeout(120_000);
  const instructor = await (await browser.newContext()).newPage();
  await instructor.goto(instructorLink(baseURL!, `e2e-${Date.now()}@example.org`));
  await expect(instructor.getByRole('heading', { name: 'Sign in to Dockyard' })).toBeVisible();
  await instructor.screenshot({ path: screenshotPath('classroom-sign-in') });
  await instructor.getByRole('button', { name: 'Sign in' }).click();
  await instructor.waitForURL((url) => url.pathname === '/', { waitUntil: 'domcontentloaded' });
  expect((await me(instructor)).body).toMatchObject({ role: 'instructor', displayName: 'Grace Hopper' });
  // The cookie is out of the page's reach.
  expect(await instructor.evaluate(() => document.cookie)).not.toContain('dockyard_session');

  const made = await post(instructor, '/api/classes', { name: 'Docker on Tuesday', requireEmail: true });
  expect(made.status).toBe(201);

  const laptop = await (await browser.newContext()).newPage();
  await laptop.goto(made.body.joinUrl);
  await expect(laptop.getByRole('heading', { name: 'Join Docker on Tuesday' })).toBeVisible();
  await laptop.getByLabel('Your name').fill('Ada Lovelace');
  await laptop.getByLabel('Your email').fill('ada@example.org');
  await laptop.screenshot({ path: screenshotPath('classroom-join') });
  await laptop.getByRole('button', { name: 'Join the class' }).click();
  await laptop.waitForURL((url) => url.pathname === '/', { waitUntil: 'domcontentloaded' });
  expect((await me(laptop)).body).toMatchObject({ role: 'student', displayName: 'Ada Lovelace', email: 'ada@example.org' });

  const draft = { files: { Dockerfile: 'FROM python:3.11-slim\n' }, updatedAt: new Date().toISOString() };
  expect(await laptop.evaluate(async (d) => (await fetch('/api/me/drafts/e2e-draft', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(d) })).status, draft)).toBe(200);
  const link = await post(laptop, '/api/auth/links');
  expect(link.status).toBe(201);

  // The second device: a fresh browser, signed in by the one-time link.
  const phone = await (await browser.newContext()).newPage();
  await phone.goto(link.body.url);
  await phone.getByRole('button', { name: 'Sign in' }).click();
  await phone.waitForURL((url) => url.pathname === '/', { waitUntil: 'domcontentloaded' });
  expect((await me(phone)).body.displayName).toBe('Ada Lovelace');
  const synced = await phone.evaluate(async () => (await fetch('/api/me/drafts/e2e-draft')).json());
  expect(synced.files).toEqual(draft.files);

  // The link was spent: a third browser opening it is refused.
  const third = await (await browser.newContext()).newPage();
  await third.goto(link.body.url);
  await third.getByRole('button', { name: 'Sign in' }).click();
  await expect(third.getByRole('heading', { name: 'Cannot sign in' })).toBeVisible();
  await expect(third.getByText('This sign-in link is not valid')).toBeVisible();
  expect((await me(third)).status).toBe(401);

  // The instructor sees Ada on the roster, then closes the class: its link is refused.
  const roster = await instructor.evaluate(async (id) => (await fetch(`/api/classes/${id}`)).json(), made.body.id);
  expect(roster.students.map((s: { displayName: string }) => s.displayName)).toEqual(['Ada Lovelace']);
  expect((await post(instructor, `/api/classes/${made.body.id}/close`)).status).toBe(200);
  const late = await (await browser.newContext()).newPage();
  const response = await late.goto(made.body.joinUrl);
  expect(response?.status()).toBe(410);
  await expect(late.getByRole('heading', { name: 'Cannot join' })).toBeVisible();
  await late.screenshot({ path: screenshotPath('classroom-join-closed') });
});
