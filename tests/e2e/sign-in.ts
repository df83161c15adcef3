import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

const ROOT = join(import.meta.dirname, '..', '..');

/** POSTs JSON from the page itself, as the course's scripts do (same origin, the cookie rides along). */
export async function postFromPage(page: Page, path: string, body?: unknown): Promise<{ status: number; body: any }> {
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

/** A one-time sign-in link for an instructor, printed by the command an operator runs. */
export function instructorLink(baseURL: string, email: string, name = 'Grace Hopper'): string {
  const out = execFileSync(process.execPath, ['scripts/instructor-new.ts', '--email', email, '--name', name], {
    cwd: ROOT,
    env: { ...process.env, DOCKYARD_PUBLIC_URL: baseURL },
    encoding: 'utf8',
  });
  const link = /^(http\S+\/sign-in\?token=\S+)$/m.exec(out)?.[1];
  if (!link) throw new Error(`instructor:new printed no link:\n${out}`);
  return link;
}

/** The header's "Signed in as …" link, on every page of the course while someone is signed in. */
export const signedInBadge = (page: Page, name: string | RegExp = /.+/) =>
  page.getByRole('banner').getByRole('link', { name: typeof name === 'string' ? `Signed in as ${name}` : new RegExp(`^Signed in as ${name.source}`) });

/**
 * Opens a one-time sign-in link in `page` and presses its button, as the person who got it
 * would; a student lands on the course, an instructor on their classes, signed in.
 */
export async function signInByLink(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/' || url.pathname === '/instructor/', { waitUntil: 'domcontentloaded' });
  await expect(signedInBadge(page)).toBeVisible();
}

/** A signed-in instructor with a fresh class: their page, and the class's join link. */
export async function instructorWithClass(browser: Browser, baseURL: string, className: string): Promise<{ page: Page; joinUrl: string }> {
  const page = await (await browser.newContext()).newPage();
  await signInByLink(page, instructorLink(baseURL, `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.org`));
  const made = await postFromPage(page, '/api/classes', { name: className, requireEmail: false });
  expect(made.status).toBe(201);
  return { page, joinUrl: made.body.joinUrl as string };
}

/** Joins the class at `joinUrl` in `context` by its form, as a student; returns the student's page. */
export async function joinAsStudent(context: BrowserContext, joinUrl: string, name: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(joinUrl);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join the class' }).click();
  await page.waitForURL((url) => url.pathname === '/', { waitUntil: 'domcontentloaded' });
  await expect(signedInBadge(page, `${name} in class`)).toBeVisible();
  return page;
}
