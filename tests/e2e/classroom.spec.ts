import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { endSession, lessonFor, type LessonInfo } from './course.ts';
import { screenshotPath } from './screenshots.ts';
import { instructorLink, signedInBadge } from './sign-in.ts';
import { check, editorLines, gatherProgramFromHints, openEditor, pageStarter, replaceText } from './workspace.ts';

/*
 * The classroom as its people use it: an instructor signs in by their link, makes a class and
 * copies its join link from the page; two students join by it and do an exercise (read from
 * the page); the instructor follows the class live, reads a history, exports the grades and
 * regrades; a student signs in on a second device with a link their account page gives, and
 * finds their progress and draft there.
 */

const WIDE = { width: 1440, height: 900 };
const CLASS = 'Docker on Tuesday';

const me = (page: Page) =>
  page.evaluate(async () => {
    const res = await fetch('/api/auth/me');
    return { status: res.status, body: await res.json() };
  });

/** A fresh browser (its own cookies and storage), on a wide screen, that may use the clipboard. */
async function newBrowser(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: WIDE, permissions: ['clipboard-read', 'clipboard-write'] });
  return context.newPage();
}

/** Opens a join link and joins as `name` with `email`, as a student does. */
async function joinAs(page: Page, joinUrl: string, name: string, email: string, shot?: string): Promise<void> {
  await page.goto(joinUrl);
  await expect(page.getByRole('heading', { name: `Join ${CLASS}`, level: 1 })).toBeVisible();
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Your email').fill(email);
  if (shot) await page.screenshot({ path: screenshotPath(shot) });
  await page.getByRole('button', { name: 'Join the class' }).click();
  // Joined, on to the course: its header says who and in which class, on every page.
  await page.waitForURL((url) => url.pathname === '/');
  await expect(signedInBadge(page, `${name} in class ${CLASS}`)).toBeVisible();
}

/** The matrix cell of one student on one exercise. */
const cell = (page: Page, student: string, exercise: string): Locator =>
  page.locator(`[data-role="matrix"] tr[data-student="${student}"] td[data-exercise="${exercise}"]`);

/** A downloaded export's text, from the link the class view shows. */
async function download(page: Page, link: Locator): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
}

test('the classroom journey: an instructor makes a class, two students join and work, the class is followed live, graded, and a student moves to a second device', async ({
  browser,
  baseURL,
}) => {
  // Five browsers, five Python checks and a regrade of two: minutes on a busy two-core machine.
  test.setTimeout(600_000);
  const lesson: LessonInfo = lessonFor('asyncio-gather');
  const exercise = lesson.exercise!;

  // The instructor opens their link: a page with a button; only the button spends the link.
  const grace = await newBrowser(browser);
  await grace.goto(instructorLink(baseURL!, `e2e-${Date.now()}@example.org`));
  await expect(grace.getByRole('heading', { name: 'Sign in to Dockyard', level: 1 })).toBeVisible();
  await grace.screenshot({ path: screenshotPath('classroom-sign-in') });
  await grace.getByRole('button', { name: 'Sign in' }).click();
  // Signed in, on to her classes; the cookie is out of the page's reach.
  await grace.waitForURL((url) => url.pathname === '/instructor/');
  await expect(grace.locator('[data-role="signed-in"]')).toContainText('Signed in as Grace Hopper (instructor)');
  await expect(signedInBadge(grace, 'Grace Hopper (instructor)')).toBeVisible();
  expect(await grace.evaluate(() => document.cookie)).not.toContain('dockyard_session');

  // A class, and its join link copied from the page.
  await grace.getByLabel('Class name').fill(CLASS);
  await grace.getByLabel('Ask students for their email').check();
  await grace.getByRole('button', { name: 'Create the class' }).click();
  const card = grace.getByRole('listitem', { name: CLASS });
  const linkField = card.getByRole('textbox', { name: `Join link of ${CLASS}` });
  await expect(linkField).toHaveValue(/\/join\//);
  await card.getByRole('button', { name: 'Copy join link' }).click();
  await expect(card.getByRole('button', { name: 'Copied' })).toBeVisible();
  const joinUrl = await grace.evaluate(() => navigator.clipboard.readText());
  expect(joinUrl).toBe(await linkField.inputValue());
  await grace.screenshot({ path: screenshotPath('classroom-classes') });

  // The class view, left open: everything below must reach it without a reload.
  await card.getByRole('link', { name: 'Open the class' }).click();
  await expect(grace.getByRole('heading', { name: CLASS, level: 1 })).toBeVisible();
  await expect(grace.locator('[data-role="matrix"]')).toContainText('No students yet');
  await grace.evaluate(() => ((window as { dyNotReloaded?: boolean }).dyNotReloaded = true));

  // Two students join by the link, each in a browser of their own.
  const ada = await newBrowser(browser);
  await joinAs(ada, joinUrl, 'Ada Lovelace', 'ada@example.org', 'classroom-join');
  const bob = await newBrowser(browser);
  await joinAs(bob, joinUrl, 'Bob Kahn', 'bob@example.org');
  expect((await me(bob)).body).toMatchObject({ role: 'student', displayName: 'Bob Kahn', email: 'bob@example.org' });
  for (const name of ['Ada Lovelace', 'Bob Kahn']) await expect(grace.locator(`tr[data-student="${name}"]`)).toBeVisible();

  try {
    // Ada follows the hints to the line that passes (read from the page, as in instructions.spec.ts).
    await openEditor(ada, lesson);
    const { program } = await gatherProgramFromHints(ada);
    await replaceText(ada, program);
    await expect(await check(ada)).toContainText(/All \d+ checks? pass/);

    // Bob checks the starter as it is, then again with a note of his: two failures.
    await openEditor(bob, lesson);
    await expect(await check(bob)).toContainText(/\d+ of \d+ checks? pass/);
    const bobStarter = await pageStarter(bob, 'main.py');
    await replaceText(bob, `# still thinking about this one\n${bobStarter}`);
    await expect(await check(bob)).toContainText(/\d+ of \d+ checks? pass/);
    await bob.screenshot({ path: screenshotPath('classroom-student-fails') });

    // The instructor's view shows both, live: Ada passed in one attempt, Bob tried twice.
    await expect(cell(grace, 'Ada Lovelace', exercise)).toHaveAttribute('data-state', 'passed');
    await expect(cell(grace, 'Ada Lovelace', exercise)).toContainText('1 attempt');
    await expect(cell(grace, 'Bob Kahn', exercise)).toHaveAttribute('data-state', 'tried');
    await expect(cell(grace, 'Bob Kahn', exercise)).toContainText('2 attempts');
    const exerciseRow = grace.locator(`[data-role="exercises"] tr[data-exercise="${exercise}"]`);
    await expect(exerciseRow).toContainText('1 of 2 passed (50%)');
    await expect(exerciseRow).toContainText(/: 2 failures/);
    expect(await grace.evaluate(() => (window as { dyNotReloaded?: boolean }).dyNotReloaded)).toBe(true);
    await grace.screenshot({ path: screenshotPath('classroom-matrix'), fullPage: true });
    // On a phone, in the dark theme: the matrix scrolls sideways within the page.
    await grace.emulateMedia({ colorScheme: 'dark' });
    await grace.setViewportSize({ width: 400, height: 860 });
    await grace.locator('[data-role="matrix"]').scrollIntoViewIfNeeded();
    await grace.screenshot({ path: screenshotPath('classroom-matrix-narrow-dark') });
    await grace.setViewportSize(WIDE);
    await grace.emulateMedia({ colorScheme: 'light' });

    // Bob's history: each attempt with its verdict, and what changed between them.
    await cell(grace, 'Bob Kahn', exercise).getByRole('button').click();
    const history = grace.locator('[data-role="history"]');
    await expect(history.getByRole('heading', { name: /^Bob Kahn's attempts at / })).toBeVisible();
    await expect(history.locator('.dy-history__attempt')).toHaveCount(2);
    await expect(history.locator('.dy-history__detail')).toHaveAttribute('data-attempt', '2');
    await expect(history.locator('.dy-history__verdict')).toContainText('✗ Fail');
    await expect(history.getByRole('button', { name: 'main.py (changed)' })).toHaveAttribute('aria-pressed', 'true');
    await expect(history.locator('.dy-history__diff .monaco-diff-editor')).toBeVisible({ timeout: 60_000 });
    await expect(history.locator('.dy-history__diff .editor.modified .view-lines')).toContainText('still thinking about this one');
    await history.scrollIntoViewIfNeeded();
    await grace.screenshot({ path: screenshotPath('classroom-history') });

    // The gradebook, exported from the page, says what the matrix says.
    const adaScore = /(\d+)\/(\d+)/.exec((await cell(grace, 'Ada Lovelace', exercise).innerText()) ?? '')!;
    const bobScore = /(\d+)\/(\d+)/.exec((await cell(grace, 'Bob Kahn', exercise).innerText()) ?? '')!;
    const csv = await download(grace, exerciseRow.getByRole('link', { name: /^Export CSV/ }));
    expect(csv.name).toBe(`${exercise}-gradebook.csv`);
    const [header, ...rows] = csv.text.trim().split(/\r?\n/).map((r) => r.split(','));
    const column = (name: string) => header!.indexOf(name);
    const byStudent = new Map(rows.map((r) => [r[column('student')], r]));
    expect([...byStudent.keys()].sort()).toEqual(['Ada Lovelace', 'Bob Kahn']);
    expect(byStudent.get('Ada Lovelace')!.slice(column('score'), column('status') + 1)).toEqual([adaScore[1], adaScore[2], 'pass']);
    expect(byStudent.get('Bob Kahn')!.slice(column('score'), column('status') + 1)).toEqual([bobScore[1], bobScore[2], 'fail']);
    const junit = await download(grace, exerciseRow.getByRole('link', { name: /^Export JUnit/ }));
    expect(junit.name).toBe(`${exercise}-junit.xml`);
    // One suite per student: Ada's without failures, Bob's with.
    expect(junit.text).toMatch(/<testsuite name="Ada Lovelace" tests="[1-9]\d*" failures="0"/);
    expect(junit.text).toMatch(/<testsuite name="Bob Kahn" tests="[1-9]\d*" failures="[1-9]/);

    // A regrade checks each latest attempt again: Bob's third failure makes him stuck, live.
    grace.once('dialog', (dialog) => void dialog.accept());
    await exerciseRow.getByRole('button', { name: /^Regrade / }).click();
    await expect(grace.locator('[data-role="notice"]')).toContainText('for 2 students', { timeout: 120_000 });
    await expect(cell(grace, 'Bob Kahn', exercise)).toContainText('3 attempts');
    await expect(cell(grace, 'Bob Kahn', exercise)).toHaveAttribute('data-stuck', 'true');
    await expect(grace.locator('[data-role="stuck"]')).toContainText(/^Bob Kahn: .*3 failed Checks/);
    await expect(cell(grace, 'Ada Lovelace', exercise)).toContainText('2 attempts');
    await expect(cell(grace, 'Ada Lovelace', exercise)).toHaveAttribute('data-state', 'passed');
    // The open history follows: Bob's regraded attempt is listed.
    await expect(history.locator('.dy-history__attempt')).toHaveCount(3);
    await grace.screenshot({ path: screenshotPath('classroom-stuck'), fullPage: true });

    // Ada moves to a second device: her account page gives a one-time link.
    await signedInBadge(ada, /Ada Lovelace/).click();
    await expect(ada.getByRole('heading', { name: 'Your account', level: 1 })).toBeVisible();
    await ada.getByRole('button', { name: 'Make a sign-in link' }).click();
    const deviceLink = await ada.getByRole('textbox', { name: 'Sign-in link for another device' }).inputValue();
    expect(deviceLink).toMatch(/\/sign-in\?token=/);
    await ada.screenshot({ path: screenshotPath('classroom-account') });

    const phone = await newBrowser(browser);
    await phone.goto(deviceLink);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    // Signed in, on the course's overview: merged with the server, it counts the pass made on the laptop.
    await phone.waitForURL((url) => url.pathname === '/');
    await expect(signedInBadge(phone, `Ada Lovelace in class ${CLASS}`)).toBeVisible();
    await expect(phone.locator('html')).toHaveAttribute('data-dy-sync', 'synced', { timeout: 30_000 });
    const bar = phone.getByRole('progressbar', { name: `${lesson.moduleLabel}: exercises passed` });
    await expect(bar).toHaveAttribute('aria-valuenow', '1');
    await bar.scrollIntoViewIfNeeded();
    await phone.screenshot({ path: screenshotPath('classroom-second-device') });
    // The lesson is marked passed, and its editor holds her program, not the starter.
    await openEditor(phone, lesson);
    await expect(phone.getByRole('navigation', { name: 'Main' }).locator(`a[href="${lesson.path}"]`)).toHaveAttribute('data-dy-done', '');
    await expect(editorLines(phone)).toContainText('asyncio.gather');
    await phone.screenshot({ path: screenshotPath('classroom-second-device-draft') });

    // The link was spent: a third browser opening it is refused.
    const third = await newBrowser(browser);
    await third.goto(deviceLink);
    await third.getByRole('button', { name: 'Sign in' }).click();
    await expect(third.getByRole('heading', { name: 'Cannot sign in', level: 1 })).toBeVisible();
    await expect(third.getByText('This sign-in link is not valid')).toBeVisible();
    expect((await me(third)).status).toBe(401);
  } finally {
    await endSession(ada, lesson);
    await endSession(bob, lesson);
  }
});

test('a closed class refuses its join link; the page says so', async ({ browser, baseURL }) => {
  const grace = await newBrowser(browser);
  await grace.goto(instructorLink(baseURL!, `e2e-closed-${Date.now()}@example.org`));
  await grace.getByRole('button', { name: 'Sign in' }).click();
  await grace.waitForURL((url) => url.pathname === '/instructor/');
  await grace.getByLabel('Class name').fill('Closed on Friday');
  await grace.getByRole('button', { name: 'Create the class' }).click();
  const card = grace.getByRole('listitem', { name: 'Closed on Friday' });
  const joinUrl = await card.getByRole('textbox', { name: 'Join link of Closed on Friday' }).inputValue();
  grace.once('dialog', (dialog) => void dialog.accept());
  await card.getByRole('button', { name: 'Close the class' }).click();
  await expect(card).toContainText('its join link is refused');

  const late = await newBrowser(browser);
  const response = await late.goto(joinUrl);
  expect(response?.status()).toBe(410);
  await expect(late.getByRole('heading', { name: 'Cannot join', level: 1 })).toBeVisible();
  await expect(late.getByText('"Closed on Friday" is closed')).toBeVisible();
  await expect(late.getByRole('button', { name: 'Join the class' })).toBeHidden();
  await late.screenshot({ path: screenshotPath('classroom-join-closed') });
});
