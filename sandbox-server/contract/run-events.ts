import { z } from 'zod';

/** The body of POST /api/exercises/:slug/run: the student's files, path → content. */
export const RunRequestSchema = z
  .object({ files: z.record(z.string(), z.string()).describe('The program to run: file path → content.') })
  .strict();

/** Why a run ended: the program exited, hit the time or output limit, was stopped, or could not start. */
export const RunEndReasonSchema = z
  .enum(['exited', 'timeout', 'output_limit', 'stopped', 'error'])
  .describe('Why the run ended: the program exited, hit the time or output limit, was stopped, or could not start.');

/**
 * One line of a run's answer (newline-delimited JSON, sent as the program produces it):
 * `start` once, `output` for every piece of stdout or stderr, `end` once, last.
 */
export const RunEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    entry: z.string().describe('The file the run started.'),
    timeLimitMs: z.number().describe('How long the program may run.'),
  }),
  z.object({
    type: z.literal('output'),
    stream: z.enum(['stdout', 'stderr']).describe('Where the program wrote it.'),
    data: z.string().describe('What the program printed, as it printed it.'),
  }),
  z.object({
    type: z.literal('end'),
    reason: RunEndReasonSchema,
    exitCode: z.number().int().nullable().describe("The program's exit code, when it exited."),
    wallMs: z.number().describe('How long the run took.'),
    message: z.string().optional().describe('How the run ended, in plain words.'),
  }),
]);

/** The body of a run request. */
export type RunRequest = z.infer<typeof RunRequestSchema>;
/** One event of a run's answer. */
export type RunEvent = z.infer<typeof RunEventSchema>;
/** Why a run ended. */
export type RunEndReason = z.infer<typeof RunEndReasonSchema>;

/** The content type of a run's answer. */
export const RUN_CONTENT_TYPE = 'application/x-ndjson; charset=utf-8';
