import { StringDecoder } from 'node:string_decoder';
import type Docker from 'dockerode';
import { LABEL_CHECKER } from '../../base/names.ts';
import { runHarness } from '../../check-protocol/run-harness.ts';
import type { RunEndReason, RunEvent } from '../../contract/run-events.ts';
import type { Exercise } from '../../exercises/load.ts';
import { fileLanguage } from '../../exercises/schema.ts';
import { pythonTarget, startPythonContainer, type CheckLimits } from './container.ts';

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

/** One run of a program: its files, the file it starts, its limits. */
export interface ProgramRun {
  files: Record<string, string>;
  entry: string;
  limits: CheckLimits;
}

/**
 * Runs `entry` in a fresh python container and streams its RunEvents (`start`, `output`…, `end`); the container is
 * always removed, then `done` is called. Aborting `signal` or cancelling the stream stops the run.
 */
export function runProgram(
  docker: Docker,
  run: ProgramRun,
  opts: { signal: AbortSignal; log: (line: string) => void; done: () => void },
): ReadableStream<RunEvent> {
  let stopped = false;
  let container: Docker.Container | undefined;
  const stop = () => {
    stopped = true;
    // Killing the container ends the exec, which ends the run.
    void container?.kill().catch(() => undefined);
  };
  return new ReadableStream<RunEvent>({
    async start(controller) {
      let open = true;
      const send = (event: RunEvent) => {
        if (!open) return;
        try {
          controller.enqueue(event);
        } catch {
          open = false;
        }
      };
      opts.signal.addEventListener('abort', stop, { once: true });
      const started = Date.now();
      const { limits } = run;
      send({ type: 'start', entry: run.entry, timeLimitMs: limits.wallMs });
      try {
        container = await startPythonContainer(docker, limits, { [LABEL_CHECKER]: RUN_LABEL_VALUE });
        if (stopped || opts.signal.aborted) throw new StoppedError();
        const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
        const outcome = await runHarness(pythonTarget(docker, container), {
          harness: { 'dockyard_check/__init__.py': '', 'dockyard_check/_main.py': RUN_MAIN },
          files: run.files,
          limits: { entry: run.entry },
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
          opts.log(`a run of ${run.entry} could not start: ${(err as Error)?.message ?? String(err)}`);
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
