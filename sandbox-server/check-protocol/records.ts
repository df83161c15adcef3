import { z } from 'zod';

/** Optional text a record may carry; the harness writes null for "none". */
const text = z.string().nullish().catch(undefined);

/** Why the harness could not go on: the error kinds a check program can report (the host adds output_limit). */
export const HarnessErrorKindSchema = z
  .enum(['syntax', 'runtime', 'timeout', 'memory', 'internal'])
  .describe('Why the run cannot continue: a syntax error, an import-time failure or exit, the guard, memory, or the checker itself.');

/** The records a check program's harness writes, one JSON object per nonce-prefixed line (docs/check-protocol.md). */
export const HarnessRecordSchema = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('start'), protocol: z.number().int().describe('The protocol version the harness speaks (1).') })
    .describe('The harness is running.'),
  z
    .object({ type: z.literal('plan'), names: z.array(z.unknown().transform(String)).describe('The checks that will run, in order; max_score is their count.') })
    .describe('check.py loaded.'),
  z
    .object({
      type: z.literal('test'),
      name: z.unknown().transform((v) => String(v ?? '?')).describe('The check, as check.py named it.'),
      status: z.enum(['pass', 'fail', 'error']).catch('error').describe('pass, fail (an assertion), error (any other exception).'),
      message: text.describe('Why it did not pass.'),
      hint: text.describe("The check's hint, sent only when it did not pass."),
      output: text.describe('What the check printed (its first 500 characters).'),
    })
    .describe('One check ran.'),
  z
    .object({
      type: z.literal('error'),
      kind: HarnessErrorKindSchema.catch('internal'),
      message: text.describe('What went wrong, for the student.'),
      output: text.describe('What the program printed before the error.'),
    })
    .describe('The run cannot continue.'),
  z
    .object({
      type: z.literal('phase'),
      name: z.string().max(64).describe('What took the time: build, run, wait for http, compose up, …'),
      ms: z.number().nonnegative().finite().describe('How long it took, in milliseconds.'),
    })
    .describe('One timed step of a docker check (summed by name into resources.phases_ms).'),
  z
    .object({
      type: z.literal('end'),
      passed: z.number().int().optional().describe('Checks that passed.'),
      total: z.number().int().optional().describe('Checks that ran.'),
    })
    .describe('All checks ran.'),
]);

/** One harness record. */
export type HarnessRecord = z.infer<typeof HarnessRecordSchema>;

/** Parses one record line (the nonce already removed); undefined for a line that is not a record. */
export function parseRecord(line: string): HarnessRecord | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = HarnessRecordSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
