import { z } from 'zod';
import { VerdictSchema } from './verdict.ts';

/** The one error shape every API answer uses. */
export const ErrorBodySchema = z.object({
  error: z
    .object({
      code: z.string().describe('A stable, machine-readable code, e.g. "invalid_files".'),
      message: z.string().describe('What went wrong, in words for the person who sent the request.'),
    })
    .describe('Why the request failed.'),
});

/** The one error shape every API answer uses. */
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** A failed check's answer: the error, with the checker's error verdict when one was reached. */
export const CheckErrorBodySchema = ErrorBodySchema.extend({
  verdict: VerdictSchema.optional().describe('The error verdict of a checker that failed (never a grade).'),
});

/** A failed check's answer. */
export type CheckErrorBody = z.infer<typeof CheckErrorBodySchema>;
