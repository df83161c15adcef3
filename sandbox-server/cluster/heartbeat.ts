import type { ServerMembership } from './servers.ts';

/** What a heartbeat tells the rest of the server. */
export interface HeartbeatHooks {
  /** The live servers on this engine changed (or not): warm pools are split over them. */
  onPeers(peers: readonly string[]): void;
  /** Sessions on this engine are held by a gone server: reconcile, to take them over. */
  onOrphans(): void;
  log(line: string): void;
}

/** Renews this server's heartbeat every `servers.heartbeatMs`; returns a function that stops it. */
export function startHeartbeat(servers: ServerMembership, hooks: HeartbeatHooks): () => void {
  let busy = false;
  let failing = false;
  let orphaned = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await servers.beat();
      hooks.onPeers(servers.peers());
      const orphans = await servers.orphansOnEngine();
      if (orphans && !orphaned) hooks.log('sessions of a server that is gone are on this engine: taking them over');
      orphaned = orphans;
      if (orphans) hooks.onOrphans();
      if (failing) hooks.log('heartbeat renewed again');
      failing = false;
    } catch (err) {
      if (!failing) hooks.log(`renewing the heartbeat failed: ${(err as Error).message}`);
      failing = true;
    } finally {
      busy = false;
    }
  };
  hooks.onPeers(servers.peers());
  const timer = setInterval(() => void tick(), servers.heartbeatMs);
  timer.unref();
  return () => clearInterval(timer);
}
