import type { SandboxReserve } from '../docker/warm-pool.ts';
import type { SessionManager } from './manager.ts';
import { reconcile } from './reconciler.ts';

/** How often deadlines are checked and the engine is reconciled. */
export interface LifecycleTimings {
  expireEveryMs: number;
  reconcileEveryMs: number;
}

/**
 * Runs the session service's background work: re-adopts sessions at start, ends expired
 * ones, reconciles the engine periodically and keeps the warm pools and `reserves` (the check pool) filled.
 * Returns a function that stops the timers.
 */
export async function startLifecycle(
  manager: SessionManager,
  timings: LifecycleTimings,
  log: (line: string) => void,
  reserves: readonly SandboxReserve[] = [],
): Promise<() => Promise<void>> {
  const pools = [...Object.values(manager.pools), ...reserves];
  let busy = false;
  const reconcileNow = async () => {
    if (busy) return;
    busy = true;
    try {
      const report = await reconcile(manager, Date.now(), reserves);
      if (report.adopted.length) log(`re-adopted ${report.adopted.length} live session(s) from the engine`);
      if (report.ended.length) log(`ended ${report.ended.length} expired or broken session(s)`);
      if (report.removedSandboxes.length) log(`removed ${report.removedSandboxes.length} sandbox(es) that no session owned`);
    } catch (err) {
      log(`reconciling sessions failed: ${(err as Error).message}`);
    } finally {
      busy = false;
    }
  };
  await reconcileNow();
  for (const pool of pools) void pool.start();

  const expireTimer = setInterval(() => void manager.expire().catch(() => {}), timings.expireEveryMs);
  const reconcileTimer = setInterval(() => {
    void reconcileNow();
    for (const pool of pools) void pool.fill();
  }, timings.reconcileEveryMs);
  expireTimer.unref();
  reconcileTimer.unref();

  return async () => {
    clearInterval(expireTimer);
    clearInterval(reconcileTimer);
  };
}
