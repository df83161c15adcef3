import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How an image of the kit comes to exist. */
export type ImageSource =
  /** `debian:bookworm-slim`: pulled when a registry answers, otherwise debootstrapped and imported. */
  | 'base'
  /** Built from `sandbox-server/images/<dir>/Dockerfile`. */
  | 'dockerfile';

/** One image the course needs. */
export interface KitImage {
  /** The primary reference, e.g. `python:3.11-slim`. */
  ref: string;
  /** Every tag the image carries, the primary reference first. */
  tags: string[];
  /** Folder under `sandbox-server/images/` holding its Dockerfile (or, for the base, its recipe). */
  dir: string;
  source: ImageSource;
  /** Students pull it by its usual name: it is pushed to the course mirror as `library/NAME:TAG`. */
  studentFacing: boolean;
  /** A local stand-in for an image normally pulled from Docker Hub. */
  standIn: boolean;
  /** The Debian suite a `base` image is debootstrapped from (`bookworm` when absent). */
  suite?: string;
}

/** The folder holding one sub-folder per image. */
export const IMAGES_ROOT = path.dirname(fileURLToPath(import.meta.url));

/** Every image the course needs; `FROM` lines in the Dockerfiles give the build order. */
export const KIT: readonly KitImage[] = [
  { ref: 'debian:bookworm-slim', tags: ['debian:bookworm-slim'], dir: 'debian', source: 'base', studentFacing: true, standIn: true },
  { ref: 'debian:trixie-slim', tags: ['debian:trixie-slim'], dir: 'debian', source: 'base', studentFacing: true, standIn: true, suite: 'trixie' },
  { ref: 'busybox:latest', tags: ['busybox:latest'], dir: 'busybox', source: 'dockerfile', studentFacing: true, standIn: true },
  { ref: 'python:3.11-slim', tags: ['python:3.11-slim', 'python:3.11-slim-bookworm'], dir: 'python', source: 'dockerfile', studentFacing: true, standIn: true },
  { ref: 'python:3.13-slim', tags: ['python:3.13-slim', 'python:3.13-slim-trixie'], dir: 'python-3.13', source: 'dockerfile', studentFacing: true, standIn: true },
  { ref: 'golang:1.24', tags: ['golang:1.24', 'golang:1.24-trixie'], dir: 'golang', source: 'dockerfile', studentFacing: true, standIn: true },
  {
    ref: 'gcr.io/distroless/static-debian12:latest',
    tags: ['gcr.io/distroless/static-debian12:latest', 'distroless/static-debian12:latest', 'distroless/static:latest'],
    dir: 'distroless-static', source: 'dockerfile', studentFacing: true, standIn: true,
  },
  { ref: 'postgres:17', tags: ['postgres:17', 'postgres:latest'], dir: 'postgres', source: 'dockerfile', studentFacing: true, standIn: true },
  { ref: 'redis:latest', tags: ['redis:latest', 'redis:7'], dir: 'redis', source: 'dockerfile', studentFacing: true, standIn: true },
  { ref: 'nginx:latest', tags: ['nginx:latest'], dir: 'nginx', source: 'dockerfile', studentFacing: true, standIn: true },
  { ref: 'hello-world:latest', tags: ['hello-world:latest'], dir: 'hello-world', source: 'dockerfile', studentFacing: true, standIn: true },
  { ref: 'registry:2', tags: ['registry:2'], dir: 'registry', source: 'dockerfile', studentFacing: true, standIn: true },
  { ref: 'dockyard/package-index:latest', tags: ['dockyard/package-index:latest'], dir: 'package-index', source: 'dockerfile', studentFacing: false, standIn: false },
  { ref: 'dockyard/sandbox-docker:latest', tags: ['dockyard/sandbox-docker:latest'], dir: 'sandbox-docker', source: 'dockerfile', studentFacing: false, standIn: false },
  { ref: 'dockyard/sandbox-python:latest', tags: ['dockyard/sandbox-python:latest'], dir: 'sandbox-python', source: 'dockerfile', studentFacing: false, standIn: false },
];

/** Adds `:latest` to a reference without a tag (`busybox` → `busybox:latest`). */
export function normalizeRef(ref: string): string {
  const lastSlash = ref.lastIndexOf('/');
  return ref.slice(lastSlash + 1).includes(':') ? ref : `${ref}:latest`;
}

/** The image references named by the `FROM` lines of a Dockerfile, without stage names and `scratch`. */
export function parseFromImages(dockerfile: string): string[] {
  const stages = new Set<string>();
  const images: string[] = [];
  const logical = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const line of logical) {
    const m = line.match(/^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i);
    if (!m) continue;
    const image = m[1]!;
    if (image.toLowerCase() !== 'scratch' && !stages.has(image.toLowerCase())) {
      const ref = normalizeRef(image);
      if (!images.includes(ref)) images.push(ref);
    }
    if (m[2]) stages.add(m[2].toLowerCase());
  }
  return images;
}

/** Finds the kit image carrying `ref` among its tags, if any. */
export function findByTag(kit: readonly KitImage[], ref: string): KitImage | undefined {
  const wanted = normalizeRef(ref);
  return kit.find((image) => image.tags.some((tag) => normalizeRef(tag) === wanted));
}

/**
 * Orders images so that every one comes after the kit images it is built `FROM`;
 * throws on a cycle or on a parent that is neither in the kit nor `scratch` (nothing can be pulled offline).
 */
export function buildOrder(kit: readonly KitImage[], parentsOf: (image: KitImage) => string[]): KitImage[] {
  const ordered: KitImage[] = [];
  const state = new Map<KitImage, 'visiting' | 'done'>();
  const visit = (image: KitImage, chain: string[]): void => {
    const seen = state.get(image);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new Error(`image kit: dependency cycle ${[...chain, image.ref].join(' → ')}`);
    state.set(image, 'visiting');
    for (const parentRef of parentsOf(image)) {
      const parent = findByTag(kit, parentRef);
      if (!parent) throw new Error(`image kit: ${image.ref} is built FROM ${parentRef}, which is not in the kit`);
      visit(parent, [...chain, image.ref]);
    }
    state.set(image, 'done');
    ordered.push(image);
  };
  for (const image of kit) visit(image, []);
  return ordered;
}

/** The primary reference of every kit image (what `/api/health` lists while the engine is away). */
export function kitImageNames(kit: readonly KitImage[] = KIT): string[] {
  return kit.map((image) => image.ref);
}
