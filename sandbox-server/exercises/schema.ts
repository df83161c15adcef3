import { z } from 'zod';
import { EXERCISE_KINDS } from '../contract/exercise-page.ts';

/** Folder names of exercises and module slugs: lowercase words joined by hyphens. */
export const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** What the learner works on; decides the editor, the sandbox and the scaffolded files. */
export const exerciseKinds = EXERCISE_KINDS;

/** The sandbox an exercise's check runs in. */
export const sandboxKinds = ['docker', 'python', 'none'] as const;

/** Editor languages a file can be highlighted as. */
export const fileLanguages = ['dockerfile', 'yaml', 'python', 'shell', 'text'] as const;

/** An exercise kind. */
export type ExerciseKind = (typeof exerciseKinds)[number];
/** A sandbox kind. */
export type SandboxKind = (typeof sandboxKinds)[number];

/** The sandbox an exercise gets when its frontmatter names none. */
export function defaultSandbox(kind: ExerciseKind): SandboxKind {
  return kind === 'python' ? 'python' : 'docker';
}

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.includes('\\') && !p.split('/').some((s) => s === '..' || s === '.' || s === ''), {
    message: 'expected a relative path with forward slashes, without "." or ".." parts',
  });

/** One file the exercise's editor shows. */
export const exerciseFileSchema = z
  .object({
    path: relativePath.describe('Path of the file inside starter/ (and solution/), e.g. "Dockerfile" or "app/main.py".'),
    readOnly: z
      .boolean()
      .default(false)
      .describe('true to show the file without letting the learner edit it; such a file need only be in starter/.'),
    language: z
      .enum(fileLanguages)
      .optional()
      .describe('Editor highlighting; guessed from the file name when left out.'),
  })
  .strict();

/** The frontmatter of exercise.md as written: the single source of truth for the authoring contract. */
export const exerciseFrontmatterObject = z
  .object({
    title: z.string().trim().min(1).max(80).describe('Heading of the exercise, as the learner sees it.'),
    kind: z.enum(exerciseKinds).describe('What the learner works on: a terminal session, a Dockerfile, a compose file or a Python program.'),
    module: z
      .string()
      .regex(slugPattern, { message: 'expected a module slug (lowercase-words-with-hyphens)' })
      .describe('Slug of the course module (a folder of content/) the exercise belongs to, e.g. "volumes".'),
    summary: z.string().trim().min(1).max(200).describe('One sentence saying what the learner will do; shown in lists and links.'),
    difficulty: z
      .enum(['intro', 'core', 'stretch'])
      .default('core')
      .describe('intro for a first try, core for what every learner should do, stretch for the curious.'),
    timeLimitSeconds: z
      .number()
      .int()
      .min(1)
      .max(120)
      .default(20)
      .describe('Longest time the check program may run before it counts as failed.'),
    files: z
      .array(exerciseFileSchema)
      .default([])
      .refine((files) => new Set(files.map((f) => f.path)).size === files.length, { message: 'each path may appear once' })
      .describe('Files the editor shows, in tab order; each must be in starter/ and in solution/ (read-only ones only in starter/).'),
    sandbox: z
      .enum(sandboxKinds)
      .optional()
      .describe('Sandbox the check runs in; python for kind python, docker otherwise.'),
    points: z.number().int().min(0).max(100).optional().describe('Score for solving it, when the course counts points.'),
  })
  .strict();

/** The frontmatter after parsing: defaults filled in, sandbox derived from kind. */
export const exerciseFrontmatterSchema = exerciseFrontmatterObject.transform((fm) => ({
  ...fm,
  sandbox: fm.sandbox ?? defaultSandbox(fm.kind),
}));

/** Parsed frontmatter of an exercise. */
export type ExerciseFrontmatter = z.output<typeof exerciseFrontmatterSchema>;
/** Frontmatter as an author writes it. */
export type ExerciseFrontmatterInput = z.input<typeof exerciseFrontmatterObject>;
/** One entry of `files`. */
export type ExerciseFile = z.output<typeof exerciseFileSchema>;

/** The editor language of a file: its `language`, else guessed from the file name. */
export function fileLanguage(file: { path: string; language?: (typeof fileLanguages)[number] | undefined }): (typeof fileLanguages)[number] {
  if (file.language) return file.language;
  const name = file.path.split('/').pop() ?? '';
  if (/^(Dockerfile|Containerfile)(\..*)?$|\.dockerfile$/i.test(name)) return 'dockerfile';
  if (/\.ya?ml$/i.test(name)) return 'yaml';
  if (/\.py$/i.test(name)) return 'python';
  if (/\.(sh|bash)$/i.test(name)) return 'shell';
  return 'text';
}
