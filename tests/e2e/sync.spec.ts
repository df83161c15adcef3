import { expect, test, type Page } from '@playwright/test';
import { endSession, lessonFor } from './course.ts';
import { screenshotPath } from './screenshots.ts';
import { instructorWithClass, joinAsStudent, postFromPage, signInByLink } from './sign-in.ts';
import { check, editorLines, openEditor, pageSolution, replaceText, workspace } from './workspace.ts';

const sidebarLink = (page: Page, path: string) => page.getByRole('navigation', { name: 'Main' }).locator(`a[href="${path}"]`);
const synced = (page: Page) => expect(page.locator('html')).toHaveAttribute('data-dy-sync', 'synced', { timeout: 30_000 });
/** The first editable file of the exercise on the page, as its embedded data lists it. */
const editableFile = async (page: Page) => {
  const data = JSON.parse((await page.locator('script.dy-exercise-data').textContent()) ?? '{}') as { files: { path: string; readOnly: boolean }[] };
  return data.files.find((f) => !f.readOnly)!.path;
};

test('a signed-in student finds their progress and draft on a second device, and the draft that device had is kept', async ({ browser, baseURL }) => {
  test.setTimeout(420_000);
  const lesson = lessonFor('asyncio-gather');
  const { joinUrl } = await instructorWithClass(browser, baseURL!, 'Sync class');
  const pages: Page[] = [];
  try {
    // The phone is used first, signed out: a draft of its own, older than the laptop's.
    const phone = await (await browser.newContext()).newPage();
    pages.push(phone);
    await openEditor(phone, lesson);
    await expect(phone.locator('html')).toHaveAttribute('data-dy-sync', 'local');
    const path = await editableFile(phone);
    // Short enough to be shown whole: Monaco draws only the lines in view.
    const phoneText = '# written on the phone, signed out\nprint("phone")\n';
    await replaceText(phone, phoneText);
    await expect(editorLines(phone)).toContainText('written on the phone');

    // The laptop joins the class, edits the draft and passes the exercise.
    const laptopContext = await browser.newContext();
    const laptop = await joinAsStudent(laptopContext, joinUrl, 'Ada Lovelace');
    pages.push(laptop);
    await openEditor(laptop, lesson);
    await synced(laptop);
    const laptopText = `# written on the laptop\n${await pageSolution(laptop, path)}`;
    await replaceText(laptop, laptopText);
    const verdict = await check(laptop);
    await expect(verdict).toHaveAttribute('data-tone', 'pass');
    await expect(sidebarLink(laptop, lesson.path)).toHaveAttribute('data-dy-done', '');
    // Pushed within moments of the change: wait until this page says it is in step.
    await expect.poll(async () => laptop.evaluate(() => localStorage.getItem('dockyard:sync:pending-drafts')), { timeout: 30_000 }).toBe('[]');
    await synced(laptop);
    await laptop.screenshot({ path: screenshotPath('sync-laptop-passed') });

    // The phone signs in by a one-time link the laptop asked for.
    const link = await postFromPage(laptop, '/api/auth/links');
    expect(link.status).toBe(201);
    await signInByLink(phone, link.body.url);
    await synced(phone);
    await phone.goto(lesson.path);
    await expect(sidebarLink(phone, lesson.path)).toHaveAttribute('data-dy-done', '');
    await expect(workspace(phone)).toHaveAttribute('data-editor', 'ready', { timeout: 120_000 });
    // Settled already on the first page after signing in (the phone's pending draft met the laptop's there), or here.
    await expect(workspace(phone)).toHaveAttribute('data-draft-sync', /^(same|replaced)$/, { timeout: 30_000 });
    // The newer draft, the laptop's, is on show; the phone's own is one click away.
    await expect(editorLines(phone)).toContainText('written on the laptop');
    const note = workspace(phone).getByRole('group', { name: 'Two versions of your draft' });
    await expect(note).toBeVisible();
    await note.scrollIntoViewIfNeeded();
    await phone.screenshot({ path: screenshotPath('sync-phone-two-versions') });
    await note.getByRole('button', { name: 'Bring back the other' }).click();
    await expect(editorLines(phone)).toContainText('written on the phone');
    // Brought back, it is the newest: the laptop is given it on its next page.
    await expect.poll(async () => phone.evaluate(() => localStorage.getItem('dockyard:sync:pending-drafts')), { timeout: 30_000 }).toBe('[]');
    await laptop.goto(lesson.path);
    await expect(workspace(laptop)).toHaveAttribute('data-draft-sync', 'replaced', { timeout: 120_000 });
    await expect(editorLines(laptop)).toContainText('written on the phone');
    await note.getByRole('button', { name: 'Keep this one' }).click();
    await expect(note).toBeHidden();

    // The overview on the phone counts the pass made on the laptop.
    await phone.goto('/');
    await synced(phone);
    const bar = phone.getByRole('progressbar', { name: `${lesson.moduleLabel}: exercises passed` });
    await expect(bar).toHaveAttribute('aria-valuenow', '1');
    await bar.scrollIntoViewIfNeeded();
    await phone.screenshot({ path: screenshotPath('sync-phone-overview') });
  } finally {
    for (const page of pages) await endSession(page, lesson);
  }
});

test("a shared computer: the next student who signs in gets none of the last one's work, and the last one finds it all again", async ({ browser, baseURL }) => {
  test.setTimeout(420_000);
  const lesson = lessonFor('asyncio-gather');
  const { joinUrl } = await instructorWithClass(browser, baseURL!, 'Lab computers');
  // One browser profile, as on a lab computer: every student below uses it in turn.
  const labComputer = await browser.newContext();
  let page: Page | undefined;
  try {
    page = await joinAsStudent(labComputer, joinUrl, 'Ada Lovelace');
    await openEditor(page, lesson);
    await synced(page);
    const path = await editableFile(page);
    await replaceText(page, `# Ada's work\n${await pageSolution(page, path)}`);
    await expect(await check(page)).toHaveAttribute('data-tone', 'pass');
    await expect(sidebarLink(page, lesson.path)).toHaveAttribute('data-dy-done', '');
    await expect.poll(async () => page!.evaluate(() => localStorage.getItem('dockyard:sync:pending-drafts')), { timeout: 30_000 }).toBe('[]');
    // A link to come back with later, then Sign out from the account page.
    const comeBack = await postFromPage(page, '/api/auth/links');
    expect(comeBack.status).toBe(201);
    await endSession(page, lesson);
    await page.goto('/account/');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    // Everything was on the server: nothing of Ada's is left in this browser.
    const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('dockyard:') && !k.startsWith('dockyard:layout:')));
    expect(left).toEqual([]);
    await page.close();

    // Bob joins on the same computer: the lesson is not done for him, the editor holds the starter, his account has nothing.
    page = await joinAsStudent(labComputer, joinUrl, 'Bob Babbage');
    await openEditor(page, lesson);
    await synced(page);
    await expect(sidebarLink(page, lesson.path)).not.toHaveAttribute('data-dy-done', '');
    await expect(editorLines(page)).not.toContainText("Ada's work");
    const bobs = await page.evaluate(async () => (await fetch('/api/me/progress')).json());
    expect(Object.keys(bobs.exercises ?? {})).toEqual([]);
    await page.screenshot({ path: screenshotPath('sync-shared-computer-next-student') });
    await endSession(page, lesson);
    await page.close();

    // Ada comes back by her link: her pass and her draft are there again.
    page = await labComputer.newPage();
    await signInByLink(page, comeBack.body.url);
    await synced(page);
    await openEditor(page, lesson);
    await expect(sidebarLink(page, lesson.path)).toHaveAttribute('data-dy-done', '');
    await expect(editorLines(page)).toContainText("Ada's work");
  } finally {
    if (page && !page.isClosed()) await endSession(page, lesson);
  }
});
