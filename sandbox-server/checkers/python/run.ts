import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { pythonSandboxCreateOptions } from '../../sandboxes/python-profile.ts';
import type { Verdict } from '../verdict.ts';
import { errorVerdict } from '../verdict.ts';
import { runExecWithStdin } from './exec-session.ts';
import { harnessFiles } from './harness-files.ts';
import { validateFiles } from './validate-files.ts';
import { verdictFromRecords } from './verdict-from-records.ts';

/** Resource limits of one check run. */
export interface CheckLimits {
  wallMs: number;
  cpus: number;
  memoryBytes: number;
  pidsLimit: number;
  /** Real-time guard per check (and for the import), in seconds. */
  checkSeconds: number;
  maxOutputBytes: number;
}

/** Default limits: 20 s wall, 1 CPU, 256 MiB, 64 pids, 5 s per check, 1 MiB output. */
export const DEFAULT_CHECK_LIMITS: CheckLimits = {
  wallMs: 20_000,
  cpus: 1,
  memoryBytes: 256 * 1024 * 1024,
  pidsLimit: 64,
  checkSeconds: 5,
  maxOutputBytes: 1024 * 1024,
};

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

/** Label on check containers, so leftovers can be found. */
export const CHECK_LABEL = 'dockyard.checker';
/** The only environment a submission's process sees. */
export const PYTHON_RUN_ENV = ['PATH=/usr/local/bin:/usr/bin:/bin', 'HOME=/work', 'LANG=C.UTF-8'];
const ENV = PYTHON_RUN_ENV;

/** The command that starts the harness bootstrap; it reads its payload from stdin (see bootstrapStdin). */
export function bootstrapCommand(): string[] {
  return ['/usr/bin/env', '-i', ...ENV, 'python3', '-I', '-B', '-c', harnessFiles().bootstrap];
}

/** What the bootstrap reads on stdin: the harness package, the submission files, the nonce and limits. */
export function bootstrapStdin(payload: { nonce: string; limits: Record<string, unknown>; harness: Record<string, string>; files: Record<string, string> }): Buffer {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}\n`), body]);
}

/** Creates and starts a fresh, unprivileged, networkless python container with the check limits. */
export async function startPythonContainer(
  docker: Docker,
  limits: CheckLimits,
  labels: Record<string, string>,
  image?: string,
): Promise<Docker.Container> {
  const base = pythonSandboxCreateOptions({
    name: `dockyard-check-${randomBytes(6).toString('hex')}`,
    memoryBytes: limits.memoryBytes,
    pidsLimit: limits.pidsLimit,
    cpus: limits.cpus,
    workBytes: 16 * 1024 * 1024,
    labels,
    ...(image ? { image } : {}),
  });
  const container = await docker.createContainer({ ...base, Env: ENV });
  await container.start();
  return container;
}

/** Checks a Python submission in one fresh, always-removed sandbox container; never throws. */
export async function runPythonCheck(docker: Docker, req: PythonCheckRequest): Promise<Verdict> {
  const limits = { ...DEFAULT_CHECK_LIMITS, ...req.limits };
  const valid = validateFiles(req.files);
  if (!valid.ok) return errorVerdict(`Submission rejected: ${valid.error}`, 0, 'runtime');
  const started = Date.now();
  let container: Docker.Container | undefined;
  try {
    container = await startPythonContainer(docker, limits, { ...req.labels, [CHECK_LABEL]: 'python' }, req.image);
    const nonce = randomBytes(16).toString('hex');
    const harness = harnessFiles();
    const outcome = await runExecWithStdin(docker, container.id, {
      cmd: bootstrapCommand(),
      user: '1000:1000',
      stdin: bootstrapStdin({
        nonce,
        limits: { memory_bytes: limits.memoryBytes, check_seconds: limits.checkSeconds },
        harness: { ...harness.package, 'check.py': req.checkProgram },
        files: req.files,
      }),
      nonce,
      wallMs: Math.max(1000, limits.wallMs - (Date.now() - started)),
      maxOutputBytes: limits.maxOutputBytes,
    });
    if (outcome.stop === 'timeout' || outcome.stop === 'output_limit') await container.kill().catch(() => undefined);
    const oomKilled = await container
      .inspect()
      .then((i) => i.State?.OOMKilled === true)
      .catch(() => false);
    return verdictFromRecords(outcome.records, {
      stop: outcome.stop,
      exitCode: outcome.exitCode,
      wallMs: Date.now() - started,
      oomKilled,
      strayTail: outcome.strayTail,
    });
  } catch (err) {
    return errorVerdict(`The checker failed: ${(err as Error)?.message ?? String(err)}`, Date.now() - started, 'internal');
  } finally {
    if (container) await container.remove({ force: true, v: true }).catch(() => undefined);
  }
}
