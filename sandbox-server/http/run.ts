import { Hono, type Context } from 'hono';
import type { CheckService } from '../checkers/service.ts';
import { RUN_CONTENT_TYPE, RunRequestSchema, type RunEvent } from '../contract/run-events.ts';
import type { Exercise } from '../exercises/load.ts';
import { exerciseOf } from './exercises.ts';
import { jsonBody } from './validate.ts';
import type { WorkSlots } from './work-slots.ts';

/** Encodes one event as a line of the answer. */
export function encodeRunEvent(event: RunEvent): string {
  return `${JSON.stringify(event)}\n`;
}

/** Turns a stream of run events into the lines of the answer (newline-delimited JSON). */
function ndjson(events: ReadableStream<RunEvent>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return events.pipeThrough(
    new TransformStream<RunEvent, Uint8Array>({ transform: (event, out) => out.enqueue(encoder.encode(encodeRunEvent(event))) }),
  );
}

/** What the run route needs. */
export interface RunDeps {
  exercises: ReadonlyMap<string, Exercise>;
  checks: CheckService;
  /** The share of checks and runs a client may have going; a run holds its slot until its stream ends. */
  slots?: WorkSlots;
  clientKey?: (c: Context) => string;
}

/** POST /:slug/run: runs a python exercise's entry file and streams what it prints. */
export function runRoutes(deps: RunDeps): Hono {
  const app = new Hono();
  app.post('/:slug/run', async (c) => {
    const exercise = exerciseOf(deps.exercises, c.req.param('slug'));
    deps.checks.assertRunnable(exercise);
    const body = await jsonBody(c, RunRequestSchema);
    const run = deps.checks.prepareRun(exercise, body.files);
    const release = deps.slots?.take(deps.clientKey?.(c) ?? 'local');
    const events = deps.checks.run(run, { signal: c.req.raw.signal, ...(release ? { done: release } : {}) });
    return new Response(ndjson(events), {
      status: 200,
      headers: { 'content-type': RUN_CONTENT_TYPE, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
    });
  });
  return app;
}
