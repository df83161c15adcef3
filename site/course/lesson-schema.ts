import { z } from 'astro/zod';

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'an exercise slug: lowercase words joined by hyphens')
  .describe('Slug of the exercise (folder under exercises/) checked from this lesson.');

/** Dockyard's own lesson frontmatter, merged into Starlight's schema; `exercises` are the slugs that exist. */
export function lessonFieldsFor(exercises?: readonly string[]) {
  return z.object({
    sandbox: z
      .enum(['none', 'docker', 'python'])
      .default('none')
      .describe('Which live sandbox the workspace beside the lesson opens: a Docker engine, a Python runtime, or none.'),
    goals: z
      .array(z.string().min(3))
      .min(1)
      .max(6)
      .optional()
      .describe('What the student will be able to do after the lesson, each starting with a verb; shown at its top.'),
    exercise: (exercises
      ? slug.refine((s) => exercises.includes(s), { message: `no such exercise; exercises/ has ${exercises.join(', ')}` })
      : slug
    ).optional(),
  });
}

/** The lesson fields without checking that exercises exist. */
export const lessonFields = lessonFieldsFor();

export type LessonFields = z.infer<typeof lessonFields>;
