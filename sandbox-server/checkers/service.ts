import { readFileSync } from 'node:fs';
import type { RunEvent } from '../contract/run-events.ts';
import type { Verdict } from '../contract/verdict.ts';
import type { Sandbox, SandboxDriver } from '../docker/driver.ts';
import type { Exercise } from '../exercises/load.ts';
import { submissionFiles } from '../exercises/submission.ts';
import { CheckPool } from './check-pool.ts';
import { CheckRequestError, UnsupportedKindError } from './errors.ts';
import { runPythonCheck } from './python/check.ts';
import { DEFAULT_CHECK_LIMITS, type CheckLimits } from './python/container.ts';
import { runEntry, runProgram, type ProgramRun } from './python/run-program.ts';
import { runSandboxCheck, type SandboxRemoval } from './sandbox/check.ts';
import { sandboxCheckWallMs } from './sandbox/limits.ts';
import { checkLiveSandbox, runTerminalCheck } from './terminal/check.ts';
import { validateFiles } from './validate-files.ts';

/** Settings of the check service. */
export interface CheckServiceOptions {
  /** Docker sandboxes kept ready for dockerfile and compose checks, with the images those exercises build from. */
  pool?: { size: number; images: readonly string[]; freeze?: boolean };
  /** Overrides of the python limits of a run (tests); the wall limit is the exercise's time limit otherwise. */
  runLimits?: Partial<CheckLimits>;
  log?: (line: string) => void;
}

/**
 * Checks and runs submissions of every kind: python checks, dockerfile and compose checks (in the check pool's
 * sandboxes when one is ready), terminal checks by replay or of a live session's sandbox, and Python Runs.
 * Every sandbox it uses comes from the one driver it is given.
 */
export class CheckService {
  readonly driver: SandboxDriver;
  readonly pool: CheckPool;
  readonly #runLimits: Partial<CheckLimits>;
  readonly #log: (line: string) => void;
  /** Removals of check sandboxes still running (each starts once its check has answered). */
  readonly #removals = new Set<Promise<SandboxRemoval>>();

  constructor(driver: SandboxDriver, opts: CheckServiceOptions = {}) {
    this.driver = driver;
    this.#log = opts.log ?? (() => {});
    this.#runLimits = opts.runLimits ?? {};
    this.pool = new CheckPool(driver, {
      size: opts.pool?.size ?? 0,
      images: opts.pool?.images ?? [],
      freeze: opts.pool?.freeze,
      onError: (err) => this.#log(`check pool: ${(err as Error).message}`),
    });
  }

  /**
   * Checks a submission of `exercise` (its starter overlaid by `submitted`) in a fresh ephemeral container or
   * sandbox and returns the verdict; throws UnsupportedKindError for a kind it cannot check.
   */
  async check(exercise: Exercise, submitted: Record<string, string>): Promise<Verdict> {
    const files = submissionFiles(exercise, submitted);
    const checkProgram = readFileSync(exercise.checkPath, 'utf8');
    const { kind, timeLimitSeconds } = exercise.frontmatter;
    switch (kind) {
      case 'python':
        return runPythonCheck(this.driver.docker, { files, checkProgram, limits: { wallMs: timeLimitSeconds * 1000 } });
      case 'dockerfile':
      case 'compose':
        return runSandboxCheck(this.driver, {
          files,
          checkProgram,
          limits: { wallMs: sandboxCheckWallMs(timeLimitSeconds) },
          sandboxes: this.pool,
          onRemoval: (removal) => {
            this.#removals.add(removal);
            void removal.then(({ ms, error }) => {
              this.#removals.delete(removal);
              if (error) this.#log(`removing a check sandbox failed after ${ms} ms (the reconciler retries): ${(error as Error)?.message ?? String(error)}`);
            });
          },
        });
      case 'terminal':
        return runTerminalCheck(this.driver, { files, checkProgram, limits: { wallMs: sandboxCheckWallMs(timeLimitSeconds) } });
      default:
        throw new UnsupportedKindError(kind);
    }
  }

  /** Waits until the sandboxes of checks that have answered are removed (before the server stops). */
  async settle(): Promise<void> {
    await Promise.all([...this.#removals]);
  }

  /**
   * Checks the state a student built in a live docker sandbox (a terminal exercise), out of band. `sandbox` finds the
   * sandbox (authorizing the request) once the exercise is known to be checked that way.
   */
  async checkLive(exercise: Exercise, sandbox: () => Promise<Pick<Sandbox, 'kind' | 'containerId'>>): Promise<Verdict> {
    if (exercise.frontmatter.kind !== 'terminal') {
      throw new CheckRequestError('invalid_request', `${exercise.slug} checks submitted files; send { files }.`);
    }
    const { kind, containerId } = await sandbox();
    if (kind !== 'docker') throw new CheckRequestError('invalid_request', 'A terminal exercise is checked in a docker session.');
    return checkLiveSandbox(this.driver.docker, containerId, {
      checkProgram: readFileSync(exercise.checkPath, 'utf8'),
      limits: { wallMs: sandboxCheckWallMs(exercise.frontmatter.timeLimitSeconds) },
    });
  }

  /** Throws CheckRequestError unless `exercise` has a program to run (a python exercise). */
  assertRunnable(exercise: Exercise): void {
    if (exercise.frontmatter.kind !== 'python') {
      throw new CheckRequestError(
        'run_not_supported',
        `${exercise.slug} is a ${exercise.frontmatter.kind} exercise: build and run it in the terminal, then use Check.`,
      );
    }
  }

  /** What a Run of `submitted` would start (files, entry, limits); throws CheckRequestError before any container. */
  prepareRun(exercise: Exercise, submitted: Record<string, string>): ProgramRun {
    this.assertRunnable(exercise);
    const valid = validateFiles(submitted);
    if (!valid.ok) throw new CheckRequestError('invalid_files', valid.error);
    const files = submissionFiles(exercise, submitted);
    const entry = runEntry(exercise, files);
    if (!entry) throw new CheckRequestError('invalid_files', 'There is no Python file to run.');
    return { files, entry, limits: { ...DEFAULT_CHECK_LIMITS, wallMs: exercise.frontmatter.timeLimitSeconds * 1000, ...this.#runLimits } };
  }

  /** Starts a prepared Run and streams what the program prints; `done` is called once its container is removed. */
  run(run: ProgramRun, opts: { signal: AbortSignal; done?: () => void }): ReadableStream<RunEvent> {
    return runProgram(this.driver.docker, run, { signal: opts.signal, log: this.#log, done: opts.done ?? (() => {}) });
  }
}
