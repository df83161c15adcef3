import type Docker from 'dockerode';
import { LABEL_MANAGED, LABEL_OWNER, LABEL_ROLE, SANDBOX_KINDS, type SandboxKind } from '../base/names.ts';

/**
 * A session's durable record: kept in the engine as the labels of a small volume, so a
 * restarted service (even after kill -9) finds every live session again.
 */
export interface SessionMarker {
  id: string;
  tokenHash: string;
  kind: SandboxKind;
  sandboxId: string;
  containerId: string;
  clientKey: string;
  createdAt: number;
  expiresAt: number;
  /** The service process that created the session (`host/pid`), when known. */
  owner?: string | undefined;
}

const PREFIX = 'dockyard.session.';
const FIELDS = ['id', 'tokenHash', 'kind', 'sandboxId', 'containerId', 'clientKey', 'createdAt', 'expiresAt'] as const;

/** The marker volume's name for session `id`. */
export function markerName(id: string): string {
  return `dockyard-session-${id}`;
}

/** The labels that store `marker`. */
export function markerLabels(marker: SessionMarker): Record<string, string> {
  const labels: Record<string, string> = { [LABEL_MANAGED]: 'true', [LABEL_ROLE]: 'session' };
  for (const field of FIELDS) labels[PREFIX + field] = String(marker[field]);
  if (marker.owner) labels[LABEL_OWNER] = marker.owner;
  return labels;
}

/** Reads a marker back from its labels; undefined when a field is missing or malformed. */
export function parseMarker(labels: Record<string, string> | null | undefined): SessionMarker | undefined {
  if (!labels) return undefined;
  const get = (field: (typeof FIELDS)[number]) => labels[PREFIX + field];
  const kind = get('kind');
  const createdAt = Number(get('createdAt'));
  const expiresAt = Number(get('expiresAt'));
  const strings = ['id', 'tokenHash', 'sandboxId', 'containerId', 'clientKey'] as const;
  if (!SANDBOX_KINDS.includes(kind as SandboxKind)) return undefined;
  if (!Number.isFinite(createdAt) || !Number.isFinite(expiresAt)) return undefined;
  if (strings.some((f) => !get(f))) return undefined;
  return {
    id: get('id')!,
    tokenHash: get('tokenHash')!,
    kind: kind as SandboxKind,
    sandboxId: get('sandboxId')!,
    containerId: get('containerId')!,
    clientKey: get('clientKey')!,
    createdAt,
    expiresAt,
    owner: labels[LABEL_OWNER] || undefined,
  };
}

/** Stores a session's marker in the engine. */
export async function writeMarker(docker: Docker, marker: SessionMarker): Promise<void> {
  await docker.createVolume({ Name: markerName(marker.id), Labels: markerLabels(marker) });
}

/** Removes a session's marker; a missing one is fine. */
export async function removeMarker(docker: Docker, id: string): Promise<void> {
  try {
    await docker.getVolume(markerName(id)).remove();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
  }
}

/** Every session marker in the engine; `broken` lists marker volumes whose labels do not parse. */
export async function listMarkers(docker: Docker): Promise<{ markers: SessionMarker[]; broken: string[] }> {
  const filters = JSON.stringify({ label: [`${LABEL_MANAGED}=true`, `${LABEL_ROLE}=session`] });
  const { Volumes } = await docker.listVolumes({ filters });
  const markers: SessionMarker[] = [];
  const broken: string[] = [];
  for (const volume of Volumes ?? []) {
    const marker = parseMarker(volume.Labels);
    if (marker && volume.Name === markerName(marker.id)) markers.push(marker);
    else broken.push(volume.Name);
  }
  return { markers, broken };
}
