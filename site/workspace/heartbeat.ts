/** Timer functions, injectable so tests control time. */
export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** Default interval between pings; the server counts each one as activity. */
export const HEARTBEAT_MS = 30_000;

/** Calls `ping` every `intervalMs` until the returned stop function is called. */
export function startHeartbeat(ping: () => void, intervalMs: number = HEARTBEAT_MS, timers: Timers = globalThis as unknown as Timers): () => void {
  const handle = timers.setInterval(ping, intervalMs);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    timers.clearInterval(handle);
  };
}
