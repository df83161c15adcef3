import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import { LABEL_CREATED, LABEL_KEPT, LABEL_KEPT_OWNER, LABEL_KEPT_UNTIL, LABEL_KIND, LABEL_MANAGED, LABEL_ROLE, type SandboxKind } from '../base/names.ts';

/**
 * A kept sandbox's storage: its nested engine's /var/lib/docker and the student's work folder, on two named
 * volumes that outlive the sandbox's container. The engine's labels are its durable record (as session markers
 * are), so a restarted server, even after kill -9, finds every kept sandbox and its time without a database.
 */
export interface KeptStorage {
  /** The kept sandbox's key: derived from its owner and kind, so each student has one per kind. */
  key: string;
  owner: string;
  kind: SandboxKind;
  /** Volume mounted at /var/lib/docker. */
  engineVolume: string;
  /** Volume mounted at the student's work folder (/root). */
  workVolume: string;
}

/** A kept sandbox found in the engine. */
export interface KeptEntry extends KeptStorage {
  /** Until when it is kept: the latest of its volumes' label and its keep markers. */
  until: number;
  /** Its keep markers' volume names (one per extension of its time). */
  markers: string[];
}

/** Raised when a kept sandbox's volumes carry another student's label (never handed over). */
export class KeptOwnerMismatch extends Error {
  readonly code = 'kept_owner_mismatch';
}

const ROLE_STORAGE = 'kept-storage';
const ROLE_UNTIL = 'kept-until';

/** The volumes of kept sandbox `key`. */
export function keptVolumes(key: string): { engineVolume: string; workVolume: string } {
  return { engineVolume: `dockyard-kept-${key}-engine`, workVolume: `dockyard-kept-${key}-work` };
}

/** The names of `owner`'s kept sandbox of `kind`. */
export function keptNames(owner: string, kind: SandboxKind): KeptStorage {
  const key = createHash('sha256').update(`${kind}\n${owner}`).digest('hex').slice(0, 20);
  return { key, owner, kind, ...keptVolumes(key) };
}

/** The labels of a kept sandbox's storage volume. */
function storageLabels(kept: KeptStorage, until: number, now: number): Record<string, string> {
  return {
    [LABEL_MANAGED]: 'true',
    [LABEL_ROLE]: ROLE_STORAGE,
    [LABEL_KEPT]: kept.key,
    [LABEL_KEPT_OWNER]: kept.owner,
    [LABEL_KIND]: kept.kind,
    [LABEL_KEPT_UNTIL]: String(until),
    [LABEL_CREATED]: String(now),
  };
}

/**
 * Makes `owner`'s kept sandbox of `kind` ready to mount, kept until at least `until`: its volumes are made when
 * missing, and a keep marker records the later time when they exist (labels cannot change; the new marker is
 * written before the old ones go, so a crash between the two never shortens the time). Volumes labelled with
 * another owner are refused with KeptOwnerMismatch.
 */
export async function prepareKept(docker: Docker, owner: string, kind: SandboxKind, until: number, now: number): Promise<KeptStorage> {
  const kept = keptNames(owner, kind);
  for (const name of [kept.engineVolume, kept.workVolume]) {
    // Creating a volume that exists returns it as it is: its labels say whose it is.
    await docker.createVolume({ Name: name, Labels: storageLabels(kept, until, now) });
    const labels = (await docker.getVolume(name).inspect()).Labels ?? {};
    if (labels[LABEL_KEPT_OWNER] !== owner || labels[LABEL_KEPT] !== kept.key) {
      throw new KeptOwnerMismatch(`volume ${name} is not the kept sandbox of this student`);
    }
  }
  const before = (await listKept(docker)).find((e) => e.key === kept.key);
  if (before && before.until < until) {
    await docker.createVolume({
      Name: `dockyard-kept-${kept.key}-until-${until}`,
      Labels: { [LABEL_MANAGED]: 'true', [LABEL_ROLE]: ROLE_UNTIL, [LABEL_KEPT]: kept.key, [LABEL_KEPT_UNTIL]: String(until) },
    });
    for (const name of before.markers) await ignoreMissing(docker.getVolume(name).remove());
  }
  return kept;
}

/** Every kept sandbox in the engine, with its time; storage volumes missing a label are left out. */
export async function listKept(docker: Docker): Promise<KeptEntry[]> {
  const { Volumes } = await docker.listVolumes({ filters: JSON.stringify({ label: [`${LABEL_MANAGED}=true`, LABEL_KEPT] }) });
  const entries = new Map<string, KeptEntry>();
  const markers: Docker.VolumeInspectInfo[] = [];
  for (const volume of Volumes ?? []) {
    const labels = volume.Labels ?? {};
    if (labels[LABEL_ROLE] === ROLE_UNTIL) {
      markers.push(volume);
      continue;
    }
    const key = labels[LABEL_KEPT]!;
    const owner = labels[LABEL_KEPT_OWNER];
    const until = Number(labels[LABEL_KEPT_UNTIL]);
    const kind = labels[LABEL_KIND] as SandboxKind | undefined;
    if (labels[LABEL_ROLE] !== ROLE_STORAGE || !owner || !kind || !Number.isFinite(until)) continue;
    const names = keptNames(owner, kind);
    if (names.key !== key) continue;
    const entry = entries.get(key) ?? { ...names, until, markers: [] };
    entry.until = Math.max(entry.until, until);
    entries.set(key, entry);
  }
  for (const marker of markers) {
    const entry = entries.get(marker.Labels[LABEL_KEPT]!);
    const until = Number(marker.Labels[LABEL_KEPT_UNTIL]);
    if (!entry || !Number.isFinite(until)) continue;
    entry.until = Math.max(entry.until, until);
    entry.markers.push(marker.Name);
  }
  return [...entries.values()];
}

/** Removes a kept sandbox's storage and markers (nothing of it is left); missing pieces are fine. */
export async function removeKept(docker: Docker, entry: Pick<KeptEntry, 'engineVolume' | 'workVolume'> & { markers?: string[] }): Promise<void> {
  for (const name of [entry.engineVolume, entry.workVolume, ...(entry.markers ?? [])]) await ignoreMissing(docker.getVolume(name).remove());
}

/** Removes keep markers whose kept sandbox is gone (its storage removed by an earlier pass that stopped midway). */
export async function removeStrayKeepMarkers(docker: Docker, kept: readonly KeptEntry[]): Promise<void> {
  const keys = new Set(kept.map((e) => e.key));
  const filters = JSON.stringify({ label: [`${LABEL_MANAGED}=true`, `${LABEL_ROLE}=${ROLE_UNTIL}`] });
  for (const volume of (await docker.listVolumes({ filters })).Volumes ?? []) {
    if (!keys.has(volume.Labels[LABEL_KEPT] ?? '')) await ignoreMissing(docker.getVolume(volume.Name).remove());
  }
}

async function ignoreMissing(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
  }
}
