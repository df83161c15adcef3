import type Docker from 'dockerode';
import { normalizeRef, type KitImage } from './catalog.ts';
import { seedHash } from './hash.ts';
import {
  LABEL_MANAGED, LABEL_ROLE, LABEL_SEED, MIRROR_CONTAINER, MIRROR_NETWORK, MIRROR_PORT, MIRROR_VOLUME, SEED_CONTAINER,
} from './labels.ts';
import { splitRef } from './base-image.ts';
import type { EngineImage } from './state.ts';
import { followStream } from './stream.ts';

/** The image both registry containers run. */
export const REGISTRY_IMAGE = 'registry:2';
/** Makes the distribution registry refuse writes (`storage.maintenance.readonly.enabled: true`). */
export const READONLY_ENV = 'REGISTRY_STORAGE_MAINTENANCE_READONLY={"enabled":true}';

/** Where a kit tag lives in the mirror: `python:3.11-slim` → `library/python:3.11-slim`. */
export function mirrorPath(tag: string): string {
  const ref = normalizeRef(tag);
  return ref.includes('/') ? ref : `library/${ref}`;
}

/** Whether a reference names a registry other than Docker Hub (`gcr.io/distroless/…`): no Hub mirror serves it. */
export function namesOtherRegistry(ref: string): boolean {
  const first = ref.split('/')[0]!;
  return ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
}

/** Every Docker Hub tag of the student-facing images, mapped to its image ID; undefined if one is missing. */
export function mirrorContents(kit: readonly KitImage[], engine: ReadonlyMap<string, EngineImage>): Record<string, string> | undefined {
  const contents: Record<string, string> = {};
  for (const image of kit.filter((i) => i.studentFacing)) {
    for (const tag of image.tags.filter((t) => !namesOtherRegistry(t))) {
      const found = engine.get(normalizeRef(tag));
      if (!found) return undefined;
      contents[mirrorPath(tag)] = found.id;
    }
  }
  return contents;
}

/** Whether the read-only mirror runs on its network with the expected seed. */
export interface MirrorState {
  ready: boolean;
  reason?: string;
}

/** A course host container (the mirror, the package index) running on the mirror network, or why not, with one list call. */
export async function courseHostContainer(docker: Docker, name: string): Promise<Docker.ContainerInfo | MirrorState> {
  const found = await docker.listContainers({ all: true, filters: { name: [`^/${name}$`] } });
  const c = found[0];
  if (!c) return { ready: false, reason: 'not created' };
  if (c.State !== 'running') return { ready: false, reason: `not running (${c.State})` };
  if (!c.NetworkSettings?.Networks?.[MIRROR_NETWORK]) return { ready: false, reason: `not on network ${MIRROR_NETWORK}` };
  return c;
}

/** Checks the mirror container with one list call; `expectedSeed` comes from seedHash(mirrorContents(…)). */
export async function mirrorState(docker: Docker, expectedSeed: string | undefined): Promise<MirrorState> {
  const c = await courseHostContainer(docker, MIRROR_CONTAINER);
  if ('ready' in c) return c;
  if (!expectedSeed) return { ready: false, reason: 'reseeds after the images are built' };
  if (c.Labels?.[LABEL_SEED] !== expectedSeed) return { ready: false, reason: 'seeded with other images (reseed needed)' };
  return { ready: true };
}

const managed = (role: string) => ({ [LABEL_MANAGED]: 'true', [LABEL_ROLE]: role });

async function removeContainer(docker: Docker, name: string): Promise<void> {
  await docker.getContainer(name).remove({ force: true, v: false }).catch((err: { statusCode?: number }) => {
    if (err.statusCode !== 404) throw err;
  });
}

/** Creates the mirror network unless it exists. */
export async function ensureMirrorNetwork(docker: Docker): Promise<void> {
  const nets = await docker.listNetworks({ filters: { name: [MIRROR_NETWORK] } });
  if (nets.some((n) => n.Name === MIRROR_NETWORK)) return;
  await docker.createNetwork({ Name: MIRROR_NETWORK, Driver: 'bridge', Labels: managed('mirror-network'), CheckDuplicate: true });
}

/** Polls a container's log until `pattern` shows (or the container stops, or `timeoutMs` passes). */
async function waitForLog(docker: Docker, name: string, pattern: RegExp, timeoutMs: number, since = 0): Promise<void> {
  const container = docker.getContainer(name);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const logs = (await container.logs({ stdout: true, stderr: true, tail: 100, since })).toString();
    if (pattern.test(logs)) return;
    const info = await container.inspect();
    if (!info.State.Running) throw new Error(`${name} stopped: ${logs.slice(-800)}`);
    if (Date.now() > deadline) throw new Error(`${name} did not start within ${timeoutMs / 1000} s: ${logs.slice(-800)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Pushes `tag` through a 127.0.0.1 name (insecure-allowed by default), then drops that name. */
async function pushTag(docker: Docker, port: number, tag: string): Promise<void> {
  const [repo, t] = splitRef(`127.0.0.1:${port}/${mirrorPath(tag)}`);
  await docker.getImage(tag).tag({ repo, tag: t });
  try {
    const stream = await docker.getImage(`${repo}:${t}`).push({ authconfig: {} } as Record<string, unknown>);
    await followStream(docker, stream as NodeJS.ReadableStream);
  } finally {
    await docker.getImage(`${repo}:${t}`).remove({ noprune: true }).catch(() => {});
  }
}

/** Options of (re)seeding the mirror. */
export interface SeedOptions {
  /** Registry path → image ID, from mirrorContents(). */
  contents: Record<string, string>;
  onOutput?: (line: string) => void;
}

/**
 * Rebuilds the mirror: a fresh volume, seeded by a temporary writable registry published on 127.0.0.1,
 * then served by the read-only `dockyard-mirror` container (unless-stopped) on the mirror network.
 */
export async function seedMirror(docker: Docker, opts: SeedOptions): Promise<void> {
  const onOutput = opts.onOutput ?? (() => {});
  const seed = seedHash(opts.contents);
  await ensureMirrorNetwork(docker);
  await removeContainer(docker, MIRROR_CONTAINER);
  await removeContainer(docker, SEED_CONTAINER);
  await docker.getVolume(MIRROR_VOLUME).remove().catch((err: { statusCode?: number }) => {
    if (err.statusCode !== 404) throw err;
  });
  await docker.createVolume({ Name: MIRROR_VOLUME, Labels: managed('mirror-data') });
  const storage = { Type: 'volume' as const, Source: MIRROR_VOLUME, Target: '/var/lib/registry' };
  try {
    const seeder = await docker.createContainer({
      name: SEED_CONTAINER,
      Image: REGISTRY_IMAGE,
      Labels: managed('mirror-seed'),
      ExposedPorts: { [`${MIRROR_PORT}/tcp`]: {} },
      HostConfig: {
        Mounts: [storage],
        PortBindings: { [`${MIRROR_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
      },
    });
    await seeder.start();
    await waitForLog(docker, SEED_CONTAINER, /listening on/, 30_000);
    const bound = (await seeder.inspect()).NetworkSettings.Ports?.[`${MIRROR_PORT}/tcp`]?.[0]?.HostPort;
    if (!bound) throw new Error(`${SEED_CONTAINER} has no published port`);
    const port = Number(bound);
    const tags = Object.keys(opts.contents).sort();
    for (const [i, path] of tags.entries()) {
      onOutput(`push ${path} (${i + 1}/${tags.length})`);
      await pushTag(docker, port, path.replace(/^library\//, ''));
    }
  } finally {
    await removeContainer(docker, SEED_CONTAINER);
  }
  const mirror = await docker.createContainer({
    name: MIRROR_CONTAINER,
    Image: REGISTRY_IMAGE,
    Env: [READONLY_ENV],
    Labels: { ...managed('mirror'), [LABEL_SEED]: seed },
    ExposedPorts: { [`${MIRROR_PORT}/tcp`]: {} },
    HostConfig: {
      Mounts: [storage],
      NetworkMode: MIRROR_NETWORK,
      RestartPolicy: { Name: 'unless-stopped' },
      // The mirror joins every sandbox's internal network: it must never route between them or out.
      Sysctls: { 'net.ipv4.ip_forward': '0', 'net.ipv6.conf.all.forwarding': '0' },
    },
    NetworkingConfig: { EndpointsConfig: { [MIRROR_NETWORK]: { Aliases: [MIRROR_CONTAINER] } } },
  });
  await mirror.start();
  await waitForLog(docker, MIRROR_CONTAINER, /listening on/, 30_000);
  onOutput(`serving read-only as http://${MIRROR_CONTAINER}:${MIRROR_PORT} on network ${MIRROR_NETWORK}`);
}

/** Starts the mirror container if it exists but stopped (after an engine restart with a stopped mirror). */
export async function startMirrorIfStopped(docker: Docker): Promise<boolean> {
  const info = await docker.getContainer(MIRROR_CONTAINER).inspect().catch(() => undefined);
  if (!info || info.State.Running) return false;
  const since = Math.floor(Date.now() / 1000) - 1;
  await docker.getContainer(MIRROR_CONTAINER).start();
  await waitForLog(docker, MIRROR_CONTAINER, /listening on/, 30_000, since);
  return true;
}
