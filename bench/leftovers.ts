/** What a load or soak run may have left in the engine: sandbox objects and session markers nobody owns. */
import type Docker from 'dockerode';
import { LABEL_OWNER, LABEL_SANDBOX } from '../sandbox-server/base/names.ts';
import { SandboxDriver } from '../sandbox-server/docker/driver.ts';
import { ownerLabel } from '../sandbox-server/docker/owner.ts';
import { listMarkers } from '../sandbox-server/sessions/markers.ts';

type Labelled = { Labels?: Record<string, string> | null; Name?: string; Names?: string[]; Id?: string };

const describe = (kind: string, o: Labelled) => `${kind} ${o.Name ?? o.Names?.[0]?.replace(/^\//, '') ?? o.Id?.slice(0, 12)}`;

/** Every container, volume and network of a sandbox created by the server process `pid` of this host. */
export async function leftBehindBy(docker: Docker, pid: number): Promise<string[]> {
  const owner = ownerLabel(pid);
  const { containers, volumes, networks } = await new SandboxDriver(docker).listObjects();
  return [
    ...containers.filter((o) => o.Labels?.[LABEL_OWNER] === owner).map((o) => describe('container', o)),
    ...volumes.filter((o) => o.Labels?.[LABEL_OWNER] === owner).map((o) => describe('volume', o)),
    ...networks.filter((o) => o.Labels?.[LABEL_OWNER] === owner).map((o) => describe('network', o)),
  ];
}

/**
 * Sandbox objects whose sandbox no live session owns, among those created by the processes
 * `pids` (a soak run's successive servers), and session markers whose sandbox is gone.
 */
export async function unowned(docker: Docker, pids: readonly number[]): Promise<string[]> {
  const owners = new Set(pids.map((pid) => ownerLabel(pid)));
  const { markers } = await listMarkers(docker);
  const live = new Set(markers.map((m) => m.sandboxId));
  const { containers, volumes, networks } = await new SandboxDriver(docker).listObjects();
  const found: string[] = [];
  const scan = (kind: string, objects: Labelled[]) => {
    for (const o of objects) {
      const labels = o.Labels ?? {};
      if (owners.has(labels[LABEL_OWNER] ?? '') && !live.has(labels[LABEL_SANDBOX] ?? '')) found.push(describe(kind, o));
    }
  };
  scan('container', containers);
  scan('volume', volumes);
  scan('network', networks);
  const sandboxes = new Set(containers.map((c) => c.Labels?.[LABEL_SANDBOX]));
  for (const m of markers) if (!sandboxes.has(m.sandboxId)) found.push(`session marker ${m.id} (its sandbox is gone)`);
  return found;
}
