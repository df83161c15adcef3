/** Limits of one sandbox check run (the sandbox's own memory/pids/CPU limits come from the driver). */
export interface SandboxCheckLimits {
  /** Wall limit of the check program (building and running images included), sandbox start-up excluded. */
  wallMs: number;
  maxOutputBytes: number;
}

/** Default: 60 s wall (a cold nested engine pulls the base image first), 1 MiB output. */
export const DEFAULT_SANDBOX_CHECK_LIMITS: SandboxCheckLimits = { wallMs: 60_000, maxOutputBytes: 1024 * 1024 };

/** The wall limit for an exercise: its timeLimitSeconds can raise the 60 s default, never lower it. */
export function sandboxCheckWallMs(timeLimitSeconds: number | undefined): number {
  return Math.max(DEFAULT_SANDBOX_CHECK_LIMITS.wallMs, (timeLimitSeconds ?? 0) * 1000);
}

/** The only environment anything a sandbox check runs sees (no student PATH, aliases, DOCKER_* variables). */
export const SANDBOX_ENV = ['PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LANG=C.UTF-8'];
