import { expect, test } from '@playwright/test';
import { screenshotPath } from './screenshots.ts';

test('the home page introduces the course and links to the first lesson', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Dockyard' })).toBeVisible();
  const start = page.getByRole('link', { name: 'Start the course' });
  await expect(start).toBeVisible();
  await page.screenshot({ path: screenshotPath('home'), fullPage: true });

  await start.click();
  await expect(page).toHaveURL(/\/why-containers\/what-is-a-container\/$/);
});

test('the sample lesson renders with its code and a workspace placeholder', async ({ page }) => {
  await page.goto('/why-containers/what-is-a-container/');
  await expect(page.getByRole('heading', { level: 1, name: 'What is a container?' })).toBeVisible();
  await expect(page.getByText('docker run --rm busybox echo "hello from a container"')).toBeVisible();
  const workspace = page.getByRole('region', { name: 'Workspace: Docker sandbox' });
  await expect(workspace).toBeVisible();
  const box = await workspace.boundingBox();
  expect(box?.height ?? 0).toBeGreaterThan(300);
  // The sidebar marks where the student is.
  const sidebar = page.getByRole('navigation', { name: 'Main' });
  await expect(sidebar.getByRole('link', { name: 'What is a container?' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await page.screenshot({ path: screenshotPath('lesson-what-is-a-container'), fullPage: true });
});

test('dark and light themes both render the lesson', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/why-containers/what-is-a-container/');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.screenshot({ path: screenshotPath('lesson-light') });
});

test('unknown pages get the course 404 page and unknown API routes a JSON error', async ({ page, request }) => {
  const res = await page.goto('/no/such/lesson/');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const api = await request.get('/api/no-such-route');
  expect(api.status()).toBe(404);
  expect(await api.json()).toEqual({ error: { code: 'not_found', message: 'No API route GET /api/no-such-route.' } });
});
