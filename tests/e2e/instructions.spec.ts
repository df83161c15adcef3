import { expect, test, type Page } from '@playwright/test';
import { endSession, lessonFor, terminalRow as row, terminalText, typeCommand as run, waitTerminalReady, type LessonInfo } from './course.ts';
import { screenshotPath } from './screenshots.ts';
import { check, gatherProgramFromHints, instructions, instructionSteps, openEditor, pageStarter, replaceText, revealHints, workspace } from './workspace.ts';

/*
 * The student reads the exercise on the page and does what it says. Every name, image, path
 * and port these tests use is read from the instructions or hints the page shows, never from
 * the exercise's files.
 */

const WIDE = { width: 1440, height: 900 };

/** Selects the editor tab of `path`. */
async function openTab(page: Page, path: string): Promise<void> {
  const tab = workspace(page).getByRole('tab', { name: new RegExp(`^${path.replace('.', '\\.')}`) });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/** Presses Check and expects every check to pass, printing the verdict when one does not. */
async function expectCheckPasses(page: Page): Promise<void> {
  const verdict = await check(page);
  try {
    await expect(verdict).toContainText(/All \d+ checks? pass/);
  } catch (err) {
    console.log(`The verdict says:\n${await verdict.innerText()}`);
    throw err;
  }
  await expect(verdict.locator('.dy-check:not([data-status="pass"])')).toHaveCount(0);
}

test.describe('the exercise, read from the page', () => {
  let lesson: LessonInfo | undefined;
  test.afterEach(async ({ page }) => {
    if (lesson) await endSession(page, lesson);
  });

  test('a terminal exercise: the steps typed in the terminal pass Check', async ({ page }) => {
    test.setTimeout(300_000);
    lesson = lessonFor('hello-containers');
    await page.setViewportSize(WIDE);
    await openEditor(page, lesson);
    await waitTerminalReady(page);
    await expect(instructions(page).getByRole('heading', { name: 'Instructions' })).toBeVisible();

    // "1. run the `hello-world` image in a container named `hello`, without `--rm`"
    // "2. run the `busybox` image in a container named `look-around` that lists … with `ls /`"
    // "3. run `docker ps -a`: both containers are listed as `Exited (0)`."
    const [first, second, third] = await instructionSteps(page);
    const [image1, name1] = first!.code;
    const [image2, name2, command2] = second!.code;
    const [list, exited] = third!.code;
    expect(first!.text).toContain('without');
    const commands = [`docker run --name ${name1} ${image1}`, `docker run --name ${name2} ${image2} ${command2}`];
    for (const command of commands) await run(page, command);
    await run(page, list!);
    try {
      await expect(terminalText(page)).toContainText(new RegExp(`${exited!.replace(/[()]/g, '\\$&')}.*${name2}`), { timeout: 120_000 });
    } catch (err) {
      console.log(`The terminal shows:\n${await terminalText(page).innerText()}`);
      throw err;
    }
    // "Write the commands you ran in `commands.sh`, one per line."
    await replaceText(page, `${commands.join('\n')}\n`);

    await revealHints(page, 1);
    await page.screenshot({ path: screenshotPath('instructions-terminal') });
    await expectCheckPasses(page);
  });

  test('a Dockerfile exercise: the Dockerfile the steps describe passes Check', async ({ page }) => {
    test.setTimeout(300_000);
    lesson = lessonFor('dockerfile-python-app');
    await page.setViewportSize(WIDE);
    await openEditor(page, lesson);
    // 1. start from `python:3.11-slim`; 2. work in `/app`; 3. copy `app.py`; 4. a user that is
    // not root (`RUN` … `useradd`, `USER`); 5. start with `python app.py`.
    const steps = await instructionSteps(page);
    expect(steps).toHaveLength(5);
    const [base] = steps[0]!.code;
    const [folder] = steps[1]!.code;
    const [app] = steps[2]!.code;
    expect(steps[3]!.code).toEqual(expect.arrayContaining(['RUN', 'useradd', 'USER']));
    const [start] = steps[4]!.code;
    const dockerfile = [
      `FROM ${base}`,
      `WORKDIR ${folder}`,
      `COPY ${app} .`,
      'RUN useradd --create-home student',
      'USER student',
      `CMD ${JSON.stringify(start!.split(' '))}`,
      '',
    ].join('\n');
    await openTab(page, 'Dockerfile');
    await replaceText(page, dockerfile);
    await revealHints(page, 1);
    await page.screenshot({ path: screenshotPath('instructions-dockerfile') });
    await expectCheckPasses(page);
  });

  test('a compose exercise: the Dockerfile and the compose file the steps describe pass Check', async ({ page }) => {
    // A compose check builds, brings the project up twice and down again: 15 to 45 s, more on a busy machine.
    test.setTimeout(360_000);
    lesson = lessonFor('compose-hit-counter');
    await page.setViewportSize(WIDE);
    await openEditor(page, lesson);
    // 1. Finish the `Dockerfile`: copy `requirements.txt` … `pip install -r requirements.txt`, then copy `app.py`.
    // 2. Finish `compose.yaml`: a service `web` (`build: .`) on port **8000** after redis (`depends_on:`);
    //    a service `redis` from the image `redis`, keeping `/data` in a **named volume**.
    const steps = await instructionSteps(page);
    expect(steps).toHaveLength(2);
    const [dockerfileName, requirements, install, app] = steps[0]!.code;
    expect(install).toContain(requirements!);
    const services = instructions(page).locator('.dy-instructions__text ol > li').nth(1).locator('li');
    await expect(services).toHaveCount(2);
    const webCode = await services.nth(0).locator('code').allInnerTexts();
    const [port] = await services.nth(0).locator('strong').allInnerTexts();
    const [webName, , build] = webCode;
    expect(webCode).toContain('depends_on:');
    const [redisName, redisImage, dataPath] = await services.nth(1).locator('code').allInnerTexts();
    expect(await services.nth(1).locator('strong').allInnerTexts()).toContain('named volume');

    // The Dockerfile as the editor first shows it, its TODO line replaced by what step 1 says.
    const starter = (await pageStarter(page, dockerfileName!)).split('\n');
    const todo = starter.findIndex((line) => line.includes('TODO'));
    expect(todo, 'the starter Dockerfile marks where the steps go').toBeGreaterThan(-1);
    starter.splice(todo, 1, `COPY ${requirements} .`, `RUN ${install}`, `COPY ${app} .`);
    await openTab(page, dockerfileName!);
    await replaceText(page, starter.join('\n'));

    const compose = [
      'services:',
      `  ${webName}:`,
      `    ${build}`,
      `    ports: ["${port}:${port}"]`,
      `    depends_on: [${redisName}]`,
      `  ${redisName}:`,
      `    image: ${redisImage}`,
      `    volumes: ["${redisName}-data:${dataPath}"]`,
      'volumes:',
      `  ${redisName}-data: {}`,
      '',
    ].join('\n');
    await openTab(page, 'compose.yaml');
    await replaceText(page, compose);
    await expectCheckPasses(page);
    await page.screenshot({ path: screenshotPath('instructions-compose') });
  });

  test('a Python exercise: the hints, revealed one by one, lead to a program that passes Check', async ({ page }) => {
    test.setTimeout(240_000);
    lesson = lessonFor('asyncio-gather');
    await page.setViewportSize(WIDE);
    await openEditor(page, lesson);
    await expect(instructions(page)).toContainText('concurrently');
    const { program } = await gatherProgramFromHints(page);
    await replaceText(page, program);
    await page.screenshot({ path: screenshotPath('instructions-python') });
    await expectCheckPasses(page);
  });
});

test.describe('the instructions panel', () => {
  test.setTimeout(240_000);
  let lesson: LessonInfo | undefined;
  test.afterEach(async ({ page }) => {
    if (lesson) await endSession(page, lesson);
  });

  test('hints come one at a time, stay revealed after a reload; the panel folds away and the lesson reopens it', async ({ page }) => {
    lesson = lessonFor('terminal-shared-volume');
    await page.setViewportSize(WIDE);
    await page.goto(lesson.path);
    const panel = instructions(page);
    await expect(panel.getByRole('heading', { name: 'Instructions' })).toBeVisible();
    await expect(panel.locator('.dy-hint:visible')).toHaveCount(0);

    const hints = await revealHints(page, 2);
    expect(hints).toHaveLength(2);
    await page.reload();
    // Two were revealed: they are still there, and the button offers the third.
    await expect(panel.locator('.dy-hint:visible')).toHaveCount(2);
    await expect(panel.locator('.dy-hint').first()).toHaveText(hints[0]!);
    await expect(panel.getByRole('button', { name: /^Show a hint, 3 of \d+$/ })).toBeVisible();
    const rest = await revealHints(page);
    expect(rest.length).toBeGreaterThan(0);
    await expect(panel.getByText(/All \d+ hints are shown/)).toBeVisible();
    await waitTerminalReady(page);
    await page.screenshot({ path: screenshotPath('instructions-hints-terminal') });

    // Folded away, the terminal gets the room; the choice survives a reload.
    const toggle = panel.getByRole('button', { name: 'Instructions' });
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(panel.locator('.dy-instructions__body')).toBeHidden();
    await page.reload();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await page.screenshot({ path: screenshotPath('instructions-folded') });
    // The lesson's "Practise it" box leads to them.
    await page.getByRole('link', { name: 'Read the instructions in the workspace' }).click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(panel.locator('.dy-instructions__text')).toBeVisible();
    await expect(panel.locator('.dy-hint:visible')).toHaveCount(hints.length + rest.length);
  });
});
