import { expect, test } from '@playwright/test';
import { screenshotPath } from './screenshots.ts';
import { instructorWithClass, signedInBadge } from './sign-in.ts';

/**
 * Institutional sign-in in Chromium: the course's "Sign in with …" button, the OpenID provider's
 * own login and consent pages (oidc-provider, started beside the server by playwright.config.ts),
 * and back to the course signed in.
 */
test('a student signs in with their institution from a join link, then joins the class as that user', async ({ browser, baseURL }) => {
  const className = `Docker by OIDC ${Date.now().toString(36)}`;
  const { joinUrl } = await instructorWithClass(browser, baseURL!, className);
  const login = `lin-${Math.random().toString(36).slice(2, 8)}`;

  const page = await (await browser.newContext()).newPage();
  await page.goto(joinUrl);
  const button = page.getByRole('link', { name: /^Sign in with / });
  await expect(button).toBeVisible();
  const institution = (await button.textContent())!.replace(/^Sign in with /, '');
  await button.click();

  // The provider's login page, on its own origin: any login, any password.
  await page.waitForURL((url) => url.origin !== new URL(baseURL!).origin, { waitUntil: 'domcontentloaded' });
  await page.getByPlaceholder('Enter any login').fill(login);
  await page.getByPlaceholder('and password').fill('a password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();

  // Back on the join page it started from, signed in as the provider's account.
  await page.waitForURL((url) => url.href === joinUrl, { waitUntil: 'domcontentloaded' });
  await expect(page.getByText(/You are signed in as .+: joining adds this class to your account/)).toBeVisible();
  await expect(page.getByRole('link', { name: `Sign in with ${institution}` })).toBeHidden();
  const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
  expect(me).toMatchObject({ role: 'student', email: `${login}@school.example` });
  await page.screenshot({ path: screenshotPath('institution-signed-in-join') });

  await page.getByRole('button', { name: 'Join the class' }).click();
  await page.waitForURL((url) => url.pathname === '/', { waitUntil: 'domcontentloaded' });
  await expect(signedInBadge(page, `${me.displayName} in class ${className}`)).toBeVisible();
  const after = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
  expect(after.id).toBe(me.id);
});

test('the sign-in page offers the institution when opened without a link', async ({ page }) => {
  await page.goto('/sign-in');
  const button = page.getByRole('link', { name: /^Sign in with / });
  await expect(button).toBeVisible();
  expect(await button.getAttribute('href')).toBe('/api/auth/oidc/start');
  await expect(page.getByText(/Sign in with your institution's account, or open a one-time link/)).toBeVisible();
  await page.screenshot({ path: screenshotPath('institution-sign-in-page') });
});
