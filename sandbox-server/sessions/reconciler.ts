import { LABEL_CREATED, LABEL_INSTANCE, LABEL_KEPT, LABEL_MANAGED, LABEL_OWNER, LABEL_ROLE, LABEL_SANDBOX } from '../base/names.ts';
import { ownerAlive, ownerLabel } from '../docker/owner.ts';
import { listMarkers, removeMarker, type SessionMarker } from './markers.ts';
import { listKept, removeKept, removeStrayKeepMarkers } from '../docker/kept-storage.ts';
import type { SandboxReserve } from '../docker/warm-pool.ts';
import type { SessionManager } from './manager.ts';

/** What one reconciliation did. */
export interface ReconcileReport {
  adopted: string[];
  ended: string[];
  removedSandboxes: string[];
  removedMarkers: string[];
  /** Kept sandboxes past their keep time whose storage was removed. */
  removedKept: string[];
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
  const report: ReconcileReport = { adopted: [], ended: [], removedSandboxes: [], removedMarkers: [], removedKept: [] };
  // Sessions held before the engine is read: one started after it has a marker the listing may miss.
  const started = [...manager.sessions.keys()];
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
      await manager.ledger.release(marker.id);
    }
    report.ended.push(marker.id);
  };

  const owned = new Set<string>();
  for (const marker of markers) {
    const known = manager.sessions.has(marker.id);
    // Servers sharing a database say whose a session is: a live server's is left to it, even when its
    // process cannot be probed from here; a gone server's is taken over by one server only.
    const claim = known ? 'held' : await manager.ledger.claim(marker.id);
    if (claim === 'other') {
      owned.add(marker.sandboxId);
      continue;
    }
    if (claim === 'unknown' && marker.owner && marker.owner !== ownerLabel() && ownerAlive(marker.owner)) {
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
      await manager.adopt(marker, { record: claim === 'unknown' });
      report.adopted.push(marker.id);
    }
  }
  // A session this server held whose marker is gone was ended elsewhere (another server released it for its student).
  const markerIds = new Set(markers.map((m) => m.id));
  for (const id of started) {
    const session = manager.sessions.get(id);
    if (session && !markerIds.has(id)) await manager.destroy(id, 'ended by another server');
  }
  await manager.ledger.tidy(manager.heldIds(), markerIds);
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
    // A live server of the shared database is alive wherever it runs; else ask this host.
    const alive = manager.ledger.liveOwner(labels[LABEL_OWNER]) || ownerAlive(labels[LABEL_OWNER]);
    // A process known to have ended (killed, crashed) will never finish what it started.
    const removable = mine ? age >= GRACE_MS.mine : alive === false || age >= (alive ? LIVE_OWNER_MAX_MS : GRACE_MS.other);
    orphans.set(id, (orphans.get(id) ?? true) && removable);
  }
  for (const [id, removable] of orphans) {
    if (!removable) continue;
    // One that will not go now is tried again at the next pass; the rest of this one goes on.
    if (await driver.remove({ id }).then(() => true, () => false)) report.removedSandboxes.push(id);
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
  report.removedKept = await sweepKept(manager, now);
  return report;
}

/**
 * Removes the storage of kept sandboxes past their keep time, never one within it, nor one a sandbox still runs
 * on or is being made on (its session ends first, by its own limits); and keep markers left without storage.
 */
export async function sweepKept(manager: SessionManager, now: number): Promise<string[]> {
  const { docker } = manager.driver;
  const filters = JSON.stringify({ label: [`${LABEL_MANAGED}=true`, LABEL_KEPT] });
  const inUse = new Set((await docker.listContainers({ all: true, filters })).map((c) => c.Labels[LABEL_KEPT]!));
  const removed: string[] = [];
  const kept = await listKept(docker);
  for (const entry of kept) {
    if (now < entry.until || inUse.has(entry.key) || manager.keptCreating.has(entry.key)) continue;
    // One still held (a sandbox started in between) will not go: tried again at the next pass.
    if (await removeKept(docker, entry).then(() => true, () => false)) removed.push(entry.key);
  }
  await removeStrayKeepMarkers(docker, await listKept(docker)).catch(() => {});
  return removed;
}
