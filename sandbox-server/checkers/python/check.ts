import type Docker from 'dockerode';
import { LABEL_CHECKER } from '../../base/names.ts';
import { checkHarness, runHarness } from '../../check-protocol/run-harness.ts';
import { verdictFromRecords } from '../../check-protocol/verdict-from-records.ts';
import type { Verdict } from '../../contract/verdict.ts';
import { validateFiles } from '../validate-files.ts';
import { errorVerdict } from '../verdict.ts';
import { DEFAULT_CHECK_LIMITS, pythonTarget, STUDENT_UID, startPythonContainer, type CheckLimits } from './container.ts';

/** A request to check one submission. */
export interface PythonCheckRequest {
  files: Record<string, string>;
  /** The exercise's check.py source. */
  checkProgram: string;
  limits?: Partial<CheckLimits>;
  image?: string;
  /** Extra labels on the check container (who asked for it, a batch id…). */
  labels?: Record<string, string>;
}

/** Checks a Python submission in one fresh, always-removed sandbox container; never throws. */
export async function runPythonCheck(docker: Docker, req: PythonCheckRequest): Promise<Verdict> {
  const limits = { ...DEFAULT_CHECK_LIMITS, ...req.limits };
  const valid = validateFiles(req.files);
  if (!valid.ok) return errorVerdict(`Submission rejected: ${valid.error}`, 0, 'runtime');
  const started = Date.now();
  let container: Docker.Container | undefined;
  try {
    container = await startPythonContainer(docker, limits, { ...req.labels, [LABEL_CHECKER]: 'python' }, req.image, true);
    // The submission goes to its own process (written by it into its /work), never to the check program's.
    const outcome = await runHarness(pythonTarget(docker, container, true), {
      harness: checkHarness(req.checkProgram),
      files: {},
      limits: { memory_bytes: limits.memoryBytes, check_seconds: limits.checkSeconds, student: { uid: STUDENT_UID, files: req.files } },
      wallMs: Math.max(1000, limits.wallMs - (Date.now() - started)),
      maxOutputBytes: limits.maxOutputBytes,
    });
    if (outcome.stop === 'timeout' || outcome.stop === 'output_limit') await container.kill().catch(() => undefined);
    const oomKilled = await container
      .inspect()
      .then((i) => i.State?.OOMKilled === true)
      .catch(() => false);
    return verdictFromRecords(outcome.records, { ...outcome, wallMs: Date.now() - started, oomKilled });
  } catch (err) {
    return errorVerdict(`The checker failed: ${(err as Error)?.message ?? String(err)}`, Date.now() - started, 'internal');
  } finally {
    if (container) await container.remove({ force: true, v: true }).catch(() => undefined);
  }
}
