import { LABEL_CREATED, LABEL_INSTANCE, LABEL_MANAGED, LABEL_OWNER, LABEL_ROLE, LABEL_SANDBOX } from '../base/names.ts';
import { ownerAlive, ownerLabel } from '../docker/owner.ts';
import { listMarkers, removeMarker, type SessionMarker } from './markers.ts';
import type { SandboxReserve } from '../docker/warm-pool.ts';
import type { SessionManager } from './manager.ts';

/** What one reconciliation did. */
export interface ReconcileReport {
  adopted: string[];
  ended: string[];
  removedSandboxes: string[];
  removedMarkers: string[];
}

/**
 * How long a sandbox object may exist without an owner before it counts as left behind:
 * one of this service may be mid-creation; one of another process (an exercises:verify
 * run, a grading batch, a service killed with -9) may be an ephemeral check still running.
 */
const GRACE_MS = { mine: 10 * 60_000, other: 2 * 60_000 };
/**
 * A sandbox whose creating process still runs on this host is in use (a long compose check, a
 * batch under load), however old, up to this bound, past anything a check or replay may take.
 */
const LIVE_OWNER_MAX_MS = 6 * 60 * 60_000;
/** One-shot helper containers live seconds; older ones were left behind. */
const HELPER_GRACE_MS = 2 * 60_000;

/**
 * Brings the service's view and the engine's objects back in line: live sessions found in
 * the engine are re-adopted (a restart, even kill -9, loses no student's sandbox); what has
 * expired or belongs to no session, pool or other reserve (the check pool) is removed.
 */
export async function reconcile(manager: SessionManager, now = Date.now(), reserves: readonly SandboxReserve[] = []): Promise<ReconcileReport> {
  const { driver } = manager;
  const report: ReconcileReport = { adopted: [], ended: [], removedSandboxes: [], removedMarkers: [] };
  const { markers, broken } = await listMarkers(driver.docker);
  for (const name of broken) {
    await driver.docker.getVolume(name).remove().catch(() => {});
    report.removedMarkers.push(name);
  }

  /** Ends the session of `marker`, whether this service knew it or only the engine did. */
  const end = async (marker: SessionMarker, reason: string) => {
    if (manager.sessions.has(marker.id)) await manager.destroy(marker.id, reason);
    else {
      await driver.remove({ id: marker.sandboxId });
      await removeMarker(driver.docker, marker.id);
    }
    report.ended.push(marker.id);
  };

  const owned = new Set<string>();
  for (const marker of markers) {
    const known = manager.sessions.has(marker.id);
    if (!known && marker.owner && marker.owner !== ownerLabel() && ownerAlive(marker.owner)) {
      // The session of another service still running on this engine: its own to keep or end.
      owned.add(marker.sandboxId);
      continue;
    }
    if (now >= marker.expiresAt) {
      await end(marker, 'reached its time limit');
      continue;
    }
    if (!(await driver.ensureRunning({ id: marker.sandboxId }))) {
      // Its sandbox is gone and cannot come back: the session cannot be used any more.
      await end(marker, 'sandbox lost');
      continue;
    }
    owned.add(marker.sandboxId);
    // A rebuilt mirror starts detached from the sandboxes' networks: join it back.
    // (A failure only costs pulls until the next pass, so it does not stop this one.)
    if (marker.kind === 'docker') await driver.connectMirror({ id: marker.sandboxId }).catch(() => {});
    if (!known) {
      manager.adopt(marker);
      report.adopted.push(marker.id);
    }
  }
  for (const session of manager.sessions.values()) owned.add(session.sandboxId);
  for (const pool of [...Object.values(manager.pools), ...reserves]) for (const id of pool.ids()) owned.add(id);

  const objects = await driver.listObjects();
  const orphans = new Map<string, boolean>();
  for (const o of [...objects.containers, ...objects.volumes, ...objects.networks]) {
    const labels = o.Labels ?? {};
    const id = labels[LABEL_SANDBOX];
    if (!id || owned.has(id)) continue;
    const mine = labels[LABEL_INSTANCE] === driver.instanceId;
    const age = now - Number(labels[LABEL_CREATED] ?? 0);
    const alive = ownerAlive(labels[LABEL_OWNER]);
    // A process known to have ended (killed, crashed) will never finish what it started.
    const removable = mine ? age >= GRACE_MS.mine : alive === false || age >= (alive ? LIVE_OWNER_MAX_MS : GRACE_MS.other);
    orphans.set(id, (orphans.get(id) ?? true) && removable);
  }
  for (const [id, removable] of orphans) {
    if (!removable) continue;
    await driver.remove({ id });
    report.removedSandboxes.push(id);
  }
  // One-shot helpers (isolation probe, firewall installer) left by a service killed mid-start.
  const helpers = await driver.docker.listContainers({
    all: true,
    filters: JSON.stringify({ label: [`${LABEL_MANAGED}=true`, LABEL_ROLE] }),
  });
  for (const helper of helpers) {
    const role = helper.Labels[LABEL_ROLE];
    if (role !== 'isolation-probe' && role !== 'host-firewall') continue;
    if (now - Number(helper.Labels[LABEL_CREATED] ?? 0) < HELPER_GRACE_MS) continue;
    await driver.docker.getContainer(helper.Id).remove({ force: true, v: true }).catch(() => {});
  }
  return report;
}
