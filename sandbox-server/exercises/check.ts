import { readFileSync } from 'node:fs';
import type Docker from 'dockerode';
import { runPythonCheck } from '../checkers/python/run.ts';
import { checkerDriver } from '../checkers/sandbox/checker-driver.ts';
import { sandboxCheckWallMs } from '../checkers/sandbox/limits.ts';
import { runSandboxCheck, type SandboxSource } from '../checkers/sandbox/run.ts';
import { runTerminalCheck } from '../checkers/terminal/run.ts';
import type { Verdict } from '../contract/verdict.ts';
import type { Exercise } from './load.ts';

/** Raised for an exercise kind whose checker this service does not run yet. */
export class UnsupportedKindError extends Error {
  readonly kind: string;
  constructor(kind: string) {
    super(`exercises of kind ${kind} cannot be checked by this version of Dockyard`);
    this.kind = kind;
  }
}

/**
 * The files a check sees: the starter, overlaid by what the student submitted, except
 * read-only files, which always come from the starter.
 */
export function submissionFiles(exercise: Exercise, submitted: Record<string, string>): Record<string, string> {
  const readOnly = new Set(exercise.frontmatter.files.filter((f) => f.readOnly).map((f) => f.path));
  const files: Record<string, string> = { ...exercise.starter };
  for (const [path, content] of Object.entries(submitted)) if (!readOnly.has(path)) files[path] = content;
  return files;
}

/**
 * Checks a submission of `exercise` in a fresh ephemeral container and returns the verdict. Dockerfile and
 * compose checks take their sandbox from `opts.sandboxes` when it has one ready (used once, then removed).
 */
export async function checkSubmission(
  docker: Docker,
  exercise: Exercise,
  submitted: Record<string, string>,
  opts: { sandboxes?: SandboxSource | undefined } = {},
): Promise<Verdict> {
  switch (exercise.frontmatter.kind) {
    case 'python':
      return runPythonCheck(docker, {
        files: submissionFiles(exercise, submitted),
        checkProgram: readFileSync(exercise.checkPath, 'utf8'),
        limits: { wallMs: exercise.frontmatter.timeLimitSeconds * 1000 },
      });
    case 'dockerfile':
    case 'compose':
      return runSandboxCheck(await checkerDriver(docker), {
        files: submissionFiles(exercise, submitted),
        checkProgram: readFileSync(exercise.checkPath, 'utf8'),
        limits: { wallMs: sandboxCheckWallMs(exercise.frontmatter.timeLimitSeconds) },
        sandboxes: opts.sandboxes,
      });
    case 'terminal':
      return runTerminalCheck(await checkerDriver(docker), {
        files: submissionFiles(exercise, submitted),
        checkProgram: readFileSync(exercise.checkPath, 'utf8'),
        limits: { wallMs: sandboxCheckWallMs(exercise.frontmatter.timeLimitSeconds) },
      });
    default:
      throw new UnsupportedKindError(exercise.frontmatter.kind);
  }
}
