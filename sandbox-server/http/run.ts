import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { Hono, type Context } from 'hono';
import type Docker from 'dockerode';
import { runExecWithStdin } from '../checkers/python/exec-session.ts';
import { bootstrapCommand, bootstrapStdin, CHECK_LABEL, DEFAULT_CHECK_LIMITS, startPythonContainer, type CheckLimits } from '../checkers/python/run.ts';
import { validateFiles } from '../checkers/python/validate-files.ts';
import { submissionFiles } from '../exercises/check.ts';
import type { Exercise } from '../exercises/load.ts';
import { fileLanguage } from '../exercises/schema.ts';
import { RUN_CONTENT_TYPE, RunRequestSchema, type RunEndReason, type RunEvent } from '../contract/run-events.ts';
import { ApiError } from './errors.ts';
import { jsonBody } from './validate.ts';
import type { WorkSlots } from './work-slots.ts';


/** Encodes one event as a line of the answer. */
export function encodeRunEvent(event: RunEvent): string {
  return `${JSON.stringify(event)}\n`;
}

/**
 * The file a run starts: the first editable Python file of the exercise's `files`, else
 * main.py, else the first Python file of the submission; undefined when there is none.
 */
export function runEntry(exercise: Pick<Exercise, 'frontmatter'>, files: Record<string, string>): string | undefined {
  const listed = exercise.frontmatter.files.find((f) => !f.readOnly && fileLanguage(f) === 'python' && f.path in files);
  if (listed) return listed.path;
  if ('main.py' in files) return 'main.py';
  return Object.keys(files)
    .sort()
    .find((path) => path.endsWith('.py'));
}

/** A plain-words line for how a run ended, shown under its output. */
export function endMessage(reason: RunEndReason, exitCode: number | null, limitMs: number): string {
  switch (reason) {
    case 'exited':
      return exitCode === 0 || exitCode === null ? 'The program finished.' : `The program exited with code ${exitCode}.`;
    case 'timeout':
      return `The program was stopped after ${Math.round(limitMs / 1000)} seconds, the time limit of a run.`;
    case 'output_limit':
      return 'The program was stopped: it printed more than a run may show (1 MiB).';
    case 'stopped':
      return 'The run was stopped.';
    case 'error':
      return 'The program could not be started.';
  }
}

/**
 * The harness bootstrap imports dockyard_check._main and calls main(nonce, limits) once it
 * has written the files into /work. For a run, that package is this one module: it replaces
 * the bootstrap with `python3 -u <entry>`, so the program's output arrives unbuffered, as it
 * is printed, in the same locked-down container a check uses.
 */
const RUN_MAIN = `import os, sys
def main(nonce, limits):
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable, '-u', '-B', limits['entry']])
`;

/** Label value of run containers (under the checkers' label, so leftovers are found the same way). */
export const RUN_LABEL_VALUE = 'python-run';

export interface RunDeps {
  exercises: ReadonlyMap<string, Exercise>;
  docker: Docker;
  /** Overrides of the check limits (tests); the wall limit defaults to the exercise's time limit. */
  limits?: Partial<CheckLimits>;
  /** Where failures to start a run are reported (the server log by default). */
  log?: (line: string) => void;
  /** The share of checks and runs a client may have going; a run holds its slot until its stream ends. */
  slots?: WorkSlots;
  clientKey?: (c: Context) => string;
}

/** POST /:slug/run: runs a python exercise's entry file and streams what it prints. */
export function runRoutes(deps: RunDeps): Hono {
  const app = new Hono();
  app.post('/:slug/run', async (c) => {
    const slug = c.req.param('slug');
    const exercise = deps.exercises.get(slug);
    if (!exercise) throw new ApiError(404, 'exercise_not_found', `No exercise named ${slug}.`);
    if (exercise.frontmatter.kind !== 'python') {
      throw new ApiError(400, 'run_not_supported', `${slug} is a ${exercise.frontmatter.kind} exercise: build and run it in the terminal, then use Check.`);
    }
    const body = await jsonBody(c, RunRequestSchema);
    const valid = validateFiles(body.files);
    if (!valid.ok) throw new ApiError(400, 'invalid_files', valid.error);
    const files = submissionFiles(exercise, body.files);
    const entry = runEntry(exercise, files);
    if (!entry) throw new ApiError(400, 'invalid_files', 'There is no Python file to run.');
    const limits: CheckLimits = {
      ...DEFAULT_CHECK_LIMITS,
      wallMs: exercise.frontmatter.timeLimitSeconds * 1000,
      ...deps.limits,
    };
    const signal = c.req.raw.signal;
    const log = deps.log ?? ((line: string) => console.error(line));
    const release = deps.slots?.take(deps.clientKey?.(c) ?? 'local') ?? (() => {});
    const stream = runStream(deps.docker, { files, entry, limits, signal, log, done: release });
    return new Response(stream, {
      status: 200,
      headers: { 'content-type': RUN_CONTENT_TYPE, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
    });
  });
  return app;
}

/** Runs `entry` in a fresh python container and streams RunEvents; the container is always removed. */
function runStream(
  docker: Docker,
  opts: { files: Record<string, string>; entry: string; limits: CheckLimits; signal: AbortSignal; log: (line: string) => void; done: () => void },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let stopped = false;
  let container: Docker.Container | undefined;
  const stop = () => {
    stopped = true;
    // Killing the container ends the exec, which ends the run.
    void container?.kill().catch(() => undefined);
  };
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const send = (event: RunEvent) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(encodeRunEvent(event)));
        } catch {
          open = false;
        }
      };
      opts.signal.addEventListener('abort', stop, { once: true });
      const started = Date.now();
      const { limits } = opts;
      send({ type: 'start', entry: opts.entry, timeLimitMs: limits.wallMs });
      try {
        container = await startPythonContainer(docker, limits, { [CHECK_LABEL]: RUN_LABEL_VALUE });
        if (stopped || opts.signal.aborted) throw new StoppedError();
        const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
        const nonce = randomBytes(16).toString('hex');
        const outcome = await runExecWithStdin(docker, container.id, {
          cmd: bootstrapCommand(),
          user: '1000:1000',
          stdin: bootstrapStdin({
            nonce,
            limits: { entry: opts.entry },
            harness: { 'dockyard_check/__init__.py': '', 'dockyard_check/_main.py': RUN_MAIN },
            files: opts.files,
          }),
          nonce,
          wallMs: Math.max(1000, limits.wallMs - (Date.now() - started)),
          maxOutputBytes: limits.maxOutputBytes,
          onOutput: (which, chunk) => {
            const data = decoders[which].write(chunk);
            if (data) send({ type: 'output', stream: which, data });
          },
        });
        for (const which of ['stdout', 'stderr'] as const) {
          const rest = decoders[which].end();
          if (rest) send({ type: 'output', stream: which, data: rest });
        }
        const reason: RunEndReason = stopped ? 'stopped' : outcome.stop === 'end-record' ? 'exited' : outcome.stop;
        const exitCode = reason === 'exited' ? outcome.exitCode : null;
        send({ type: 'end', reason, exitCode, wallMs: Date.now() - started, message: endMessage(reason, exitCode, limits.wallMs) });
      } catch (err) {
        if (err instanceof StoppedError || stopped) {
          send({ type: 'end', reason: 'stopped', exitCode: null, wallMs: Date.now() - started, message: endMessage('stopped', null, limits.wallMs) });
        } else {
          opts.log(`[dockyard] a run of ${opts.entry} could not start: ${(err as Error)?.message ?? String(err)}`);
          send({ type: 'end', reason: 'error', exitCode: null, wallMs: Date.now() - started, message: `${endMessage('error', null, limits.wallMs)} The sandbox did not start; try again in a moment.` });
        }
      } finally {
        opts.signal.removeEventListener('abort', stop);
        if (container) await container.remove({ force: true, v: true }).catch(() => undefined);
        opts.done();
        if (open) {
          try {
            controller.close();
          } catch {
            // Already closed by the client going away.
          }
        }
      }
    },
    cancel() {
      stop();
    },
  });
}

class StoppedError extends Error {}
