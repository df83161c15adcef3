import { z } from 'zod';
import { formatExerciseError, issuesToErrors } from '../../sandbox-server/exercises/errors.ts';

/** content/<module>/_module.json: a module's title, its place in the course and its lessons in order. */
export const ModuleMetaSchema = z
  .object({
    label: z.string().min(1).describe('The module\'s title, as the sidebar and the course overview show it, e.g. "Volumes and bind mounts".'),
    order: z.number().int().describe('Where the module comes in the course: modules are listed by ascending order.'),
    lessons: z
      .array(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a lesson file name without .mdx: lowercase words joined by hyphens'))
      .describe('The module\'s lesson files, without .mdx, in reading order; a file left out is not in the sidebar.'),
  })
  .strict();

/** A module as _module.json describes it. */
export type ModuleMeta = z.infer<typeof ModuleMetaSchema>;

/** Parses the text of `file` (a _module.json); a bad one throws an error naming the file and each wrong field. */
export function parseModuleMeta(file: string, text: string): ModuleMeta {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  const parsed = ModuleMetaSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const errors = issuesToErrors(file, parsed.error.issues, () => Object.keys(ModuleMetaSchema.shape));
  throw new Error(errors.map(formatExerciseError).join('\n'));
}
