import type { SandboxReserve } from '../docker/warm-pool.ts';
import type { SessionManager } from './manager.ts';
import { reconcile } from './reconciler.ts';

/** How often deadlines are checked and the engine is reconciled. */
export interface LifecycleTimings {
  expireEveryMs: number;
  reconcileEveryMs: number;
}

/** The running background work of the session service. */
export interface Lifecycle {
  /** Stops the timers. */
  stop(): Promise<void>;
  /** Reconciles at once (unless a pass is running), e.g. when another server sharing the engine is gone. */
  reconcileNow(): Promise<void>;
}

/**
 * Runs the session service's background work: re-adopts sessions at start, ends expired
 * ones, reconciles the engine periodically and keeps the warm pools and `reserves` (the check pool) filled.
 */
export async function startLifecycle(
  manager: SessionManager,
  timings: LifecycleTimings,
  log: (line: string) => void,
  reserves: readonly SandboxReserve[] = [],
): Promise<Lifecycle> {
  const pools = [...Object.values(manager.pools), ...reserves];
  let busy = false;
  const reconcileNow = async () => {
    if (busy) return;
    busy = true;
    try {
      const report = await reconcile(manager, manager.now(), reserves);
      if (report.adopted.length) log(`re-adopted ${report.adopted.length} live session(s) from the engine`);
      if (report.ended.length) log(`ended ${report.ended.length} expired or broken session(s)`);
      if (report.removedKept.length) log(`removed ${report.removedKept.length} kept sandbox(es) past their keep time`);
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
  // Idle sandboxes are frozen within a quarter of the idle time (at most 15 s) after it.
  const freezeMs = manager.settings.freezeIdleMs;
  const freezeTimer = freezeMs > 0 ? setInterval(() => void manager.freezeIdle().catch(() => {}), Math.min(15_000, Math.max(500, freezeMs / 4))) : undefined;
  freezeTimer?.unref();
  const reconcileTimer = setInterval(() => {
    void reconcileNow();
    for (const pool of pools) void pool.fill();
  }, timings.reconcileEveryMs);
  expireTimer.unref();
  reconcileTimer.unref();

  return {
    stop: async () => {
      clearInterval(expireTimer);
      clearInterval(reconcileTimer);
      clearInterval(freezeTimer);
    },
    reconcileNow,
  };
}
