import { describe, expect, it } from 'vitest';
import { formatExerciseError } from './errors.ts';
import { loadExercise, loadExercises } from './load.ts';

const valid = 'tests/fixtures/exercises/valid';
const broken = 'tests/fixtures/exercises/broken';

describe('loadExercises on valid fixtures', () => {
  const { exercises, errors } = loadExercises(valid);

  it('loads one exercise of each kind without errors', () => {
    expect(errors).toEqual([]);
    expect(exercises.map((e) => [e.slug, e.frontmatter.kind])).toEqual([
      ['read-env', 'python'],
      ['run-hello', 'terminal'],
      ['small-image', 'dockerfile'],
      ['web-and-db', 'compose'],
    ]);
  });

  it('fills defaults and derives the sandbox from the kind', () => {
    const byslug = Object.fromEntries(exercises.map((e) => [e.slug, e]));
    expect(byslug['read-env']?.frontmatter).toMatchObject({ difficulty: 'core', timeLimitSeconds: 20, sandbox: 'python' });
    expect(byslug['run-hello']?.frontmatter).toMatchObject({ difficulty: 'intro', files: [], sandbox: 'docker' });
    expect(byslug['small-image']?.frontmatter.files).toEqual([
      { path: 'Dockerfile', readOnly: false },
      { path: 'app/server.py', readOnly: true, language: 'python' },
    ]);
  });

  it('reads starter and solution trees and the check path', () => {
    const e = exercises.find((x) => x.slug === 'small-image');
    expect(Object.keys(e?.starter ?? {})).toEqual(['Dockerfile', 'app/server.py']);
    expect(Object.keys(e?.solution ?? {})).toEqual(['Dockerfile']);
    expect(e?.checkPath).toBe(`${valid}/small-image/check.py`);
  });

  it('splits list-item hints, keeping nested code, and ignores headings in code blocks', () => {
    const e = exercises.find((x) => x.slug === 'run-hello');
    expect(e?.hints).toEqual(['Images are run with `docker run`.', 'The image is called `hello-world`:\n\n```sh\ndocker run hello-world\n```']);
    expect(e?.instructions).toContain('## not a heading: inside a code block');
    expect(e?.instructions).not.toContain('## Hints');
  });

  it('splits ### sub-section hints and keeps sections after Hints in the instructions', () => {
    const e = exercises.find((x) => x.slug === 'small-image');
    expect(e?.hints).toEqual(['**Pick a base**\n\nStart `FROM python:3.13-slim`.', '**Copy the app**\n\nUse `COPY app/ /app/`.']);
    expect(e?.instructions).toBe('Write a `Dockerfile` for the server in `app/`.\n\n## After the exercise\n\nCompare the image sizes.');
  });

  it('reads numbered and starred lists', () => {
    expect(exercises.find((x) => x.slug === 'web-and-db')?.hints).toEqual(['A service per container.', '`depends_on` orders start-up.']);
    expect(exercises.find((x) => x.slug === 'read-env')?.hints).toEqual(['`os.environ` is a mapping.']);
  });
});

describe('loadExercise on broken fixtures', () => {
  const errorsOf = (slug: string) => loadExercise(`${broken}/${slug}`);

  it('names the file and the misspelled field, suggesting the right one', () => {
    const { exercise, errors } = errorsOf('misspelled-field');
    expect(exercise).toBeNull();
    expect(errors).toEqual([
      { file: `${broken}/misspelled-field/exercise.md`, field: 'title', message: 'required field is missing' },
      { file: `${broken}/misspelled-field/exercise.md`, field: 'titel', message: 'unknown field; did you mean "title"?' },
    ]);
  });

  it('names the field of a wrong enum value and lists the allowed values', () => {
    const { errors } = errorsOf('wrong-kind');
    expect(errors.map(formatExerciseError)).toEqual([
      `${broken}/wrong-kind/exercise.md: field "kind": expected one of terminal, dockerfile, compose, python`,
    ]);
  });

  it('reports a missing solution folder', () => {
    expect(errorsOf('missing-solution').errors).toEqual([
      { file: `${broken}/missing-solution/solution`, message: 'missing solution/ folder (a reference solution the check must pass)' },
    ]);
  });

  it('reports an empty Hints section', () => {
    expect(errorsOf('no-hints').errors).toEqual([
      { file: `${broken}/no-hints/exercise.md`, field: 'Hints', message: '"## Hints" section has no hints: add list items or ### sub-sections' },
    ]);
  });

  it('reports a files entry that is in neither starter/ nor solution/', () => {
    const file = `${broken}/files-missing/exercise.md`;
    expect(errorsOf('files-missing').errors).toEqual([
      { file, field: 'files[1].path', message: '".dockerignore" is not in starter/' },
      { file, field: 'files[1].path', message: '".dockerignore" is not in solution/' },
    ]);
  });

  it('reports unknown entries in an exercise folder', () => {
    expect(errorsOf('stray-folder').errors).toEqual([
      { file: `${broken}/stray-folder/tests`, message: 'unknown entry; an exercise folder holds only exercise.md, starter, solution, check.py' },
    ]);
  });

  it('reports a folder name that is not a slug', () => {
    expect(errorsOf('Bad_Slug').errors).toEqual([
      { file: `${broken}/Bad_Slug`, field: 'slug', message: 'folder name "Bad_Slug" must be lowercase-words-with-hyphens' },
    ]);
  });

  it('collects every folder\'s errors at once, and stray files at the root', () => {
    const { exercises, errors } = loadExercises(broken);
    expect(exercises.map((e) => e.slug)).toEqual([]);
    expect(new Set(errors.map((e) => e.file.split('/')[4]))).toEqual(
      new Set(['Bad_Slug', 'files-missing', 'missing-solution', 'misspelled-field', 'no-hints', 'notes.txt', 'stray-folder', 'wrong-kind']),
    );
  });
});

describe('the course exercises', () => {
  it('all load without errors', () => {
    const { errors } = loadExercises('exercises');
    expect(errors.map(formatExerciseError)).toEqual([]);
  });
});
