import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import yaml from 'js-yaml';
import { issuesToErrors, type ExerciseError } from './errors.ts';
import { splitFrontmatter, splitHints } from './markdown.ts';
import { exerciseFileSchema, exerciseFrontmatterObject, exerciseFrontmatterSchema, slugPattern, type ExerciseFrontmatter } from './schema.ts';

/** An exercise folder, read and checked. */
export interface Exercise {
  slug: string;
  dir: string;
  frontmatter: ExerciseFrontmatter;
  /** exercise.md's Markdown without the frontmatter and the Hints section. */
  instructions: string;
  /** Shown one at a time, in order. */
  hints: string[];
  /** Files of starter/, by path relative to it. */
  starter: Record<string, string>;
  /** Files of solution/, by path relative to it. */
  solution: Record<string, string>;
  checkPath: string;
}

/** One exercise folder's result: the exercise when it has no errors, and every error found. */
export interface ExerciseLoad {
  exercise: Exercise | null;
  errors: ExerciseError[];
}

/** All exercises under a root that loaded cleanly, and every error of every folder. */
export interface ExercisesLoad {
  exercises: Exercise[];
  errors: ExerciseError[];
}

/** What may sit in an exercise folder (besides dotfiles). */
export const exerciseEntries = ['exercise.md', 'starter', 'solution', 'check.py'] as const;

/** Files under a folder, by forward-slash path relative to it. */
function readTree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, readTree(join(dir, entry.name), rel));
    else if (entry.isFile()) out[rel] = readFileSync(join(dir, entry.name), 'utf8');
  }
  return out;
}

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function knownKeys(path: readonly PropertyKey[]): readonly string[] {
  return Object.keys(path[0] === 'files' ? exerciseFileSchema.shape : exerciseFrontmatterObject.shape);
}

/** Parses the YAML frontmatter; errors name the file and, for schema problems, the field. */
function parseFrontmatter(file: string, text: string, errors: ExerciseError[]): { fm: ExerciseFrontmatter | null; body: string } {
  const { yaml: source, body } = splitFrontmatter(text);
  if (source === null) {
    errors.push({ file, message: 'missing YAML frontmatter: the file must start with a line "---"' });
    return { fm: null, body };
  }
  let data: unknown;
  try {
    data = yaml.load(source, { schema: yaml.CORE_SCHEMA, filename: file }) ?? {};
  } catch (err) {
    errors.push({ file, message: `frontmatter is not valid YAML: ${(err as Error).message.split('\n')[0]}` });
    return { fm: null, body };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    errors.push({ file, message: 'frontmatter must be a mapping of fields' });
    return { fm: null, body };
  }
  const parsed = exerciseFrontmatterSchema.safeParse(data);
  if (!parsed.success) {
    errors.push(...issuesToErrors(file, parsed.error.issues, knownKeys));
    return { fm: null, body };
  }
  return { fm: parsed.data, body };
}

/** Reads one exercise folder and collects every problem with it instead of stopping at the first. */
export function loadExercise(dir: string): ExerciseLoad {
  const errors: ExerciseError[] = [];
  const slug = basename(dir);
  const mdFile = join(dir, 'exercise.md');
  if (!slugPattern.test(slug)) {
    errors.push({ file: dir, field: 'slug', message: `folder name "${slug}" must be lowercase-words-with-hyphens` });
  }
  if (!isDir(dir)) return { exercise: null, errors: [...errors, { file: dir, message: 'not a folder' }] };
  for (const entry of readdirSync(dir)) {
    if (!entry.startsWith('.') && !(exerciseEntries as readonly string[]).includes(entry)) {
      errors.push({ file: join(dir, entry), message: `unknown entry; an exercise folder holds only ${exerciseEntries.join(', ')}` });
    }
  }
  const starterDir = join(dir, 'starter');
  const solutionDir = join(dir, 'solution');
  const checkPath = join(dir, 'check.py');
  const starter = isDir(starterDir) ? readTree(starterDir) : null;
  const solution = isDir(solutionDir) ? readTree(solutionDir) : null;
  if (!starter) errors.push({ file: starterDir, message: 'missing starter/ folder (the files the learner begins with)' });
  if (!solution) errors.push({ file: solutionDir, message: 'missing solution/ folder (a reference solution the check must pass)' });
  if (!existsSync(checkPath)) errors.push({ file: checkPath, message: 'missing check program check.py' });

  if (!existsSync(mdFile)) {
    errors.push({ file: mdFile, message: 'missing exercise.md (frontmatter and instructions)' });
    return { exercise: null, errors };
  }
  const { fm, body } = parseFrontmatter(mdFile, readFileSync(mdFile, 'utf8'), errors);
  const { instructions, hints } = splitHints(body);
  if (hints === null) errors.push({ file: mdFile, field: 'Hints', message: 'missing "## Hints" section (list items or ### sub-sections, one per hint)' });
  else if (hints.length === 0) errors.push({ file: mdFile, field: 'Hints', message: '"## Hints" section has no hints: add list items or ### sub-sections' });
  if (!instructions) errors.push({ file: mdFile, message: 'no instructions: write the task above "## Hints"' });

  if (fm) {
    fm.files.forEach((f, i) => {
      const field = `files[${i}].path`;
      if (starter && !(f.path in starter)) errors.push({ file: mdFile, field, message: `"${f.path}" is not in starter/` });
      if (solution && !f.readOnly && !(f.path in solution)) errors.push({ file: mdFile, field, message: `"${f.path}" is not in solution/` });
    });
  }
  if (errors.length > 0 || !fm || !starter || !solution || !hints) return { exercise: null, errors };
  return { exercise: { slug, dir, frontmatter: fm, instructions, hints, starter, solution, checkPath }, errors };
}

/** Reads every exercise folder under root (README.md and dotfiles aside), sorted by slug. */
export function loadExercises(root = 'exercises'): ExercisesLoad {
  const exercises: Exercise[] = [];
  const errors: ExerciseError[] = [];
  if (!isDir(root)) return { exercises, errors: [{ file: root, message: 'exercises folder not found' }] };
  for (const entry of readdirSync(root, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.') || entry.name === 'README.md') continue;
    const path = join(root, entry.name);
    if (!entry.isDirectory()) {
      errors.push({ file: path, message: 'not an exercise folder; only README.md and exercise folders belong here' });
      continue;
    }
    const result = loadExercise(path);
    errors.push(...result.errors);
    if (result.exercise) exercises.push(result.exercise);
  }
  return { exercises, errors };
}
