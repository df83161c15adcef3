import { z } from 'zod';

/** What the learner works on; decides the editor, the sandbox and the scaffolded files. */
export const EXERCISE_KINDS = ['terminal', 'dockerfile', 'compose', 'python'] as const;
/** An exercise kind. */
export type ExerciseKind = (typeof EXERCISE_KINDS)[number];

/** One file of an exercise as the page knows it. */
export const ExerciseFileDataSchema = z.object({
  path: z.string().describe('Path of the file in the submission.'),
  language: z.string().describe('The editor language it is highlighted as.'),
  readOnly: z.boolean().describe('Shown but not editable.'),
  starter: z.string().describe('The starter content.'),
});

/** What the workspace of a lesson page needs of its exercise; emitted into the page at build time. */
export const ExercisePageDataSchema = z.object({
  slug: z.string().describe('The exercise folder name.'),
  title: z.string().describe('The exercise title.'),
  kind: z.enum(EXERCISE_KINDS).describe('What the learner works on.'),
  module: z.string().describe('The module the exercise belongs to.'),
  files: z.array(ExerciseFileDataSchema).describe('The files the editor shows, in order; none for most terminal exercises.'),
  solution: z.record(z.string(), z.string()).describe('The reference files, path → content: shown only when the student asks (Solution).'),
});

/** One file of an exercise as the page knows it. */
export type ExerciseFileData = z.infer<typeof ExerciseFileDataSchema>;
/** The exercise as the page embeds it. */
export type ExercisePageData = z.infer<typeof ExercisePageDataSchema>;
