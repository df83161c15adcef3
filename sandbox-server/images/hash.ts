import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Bump to rebuild every image after a change in how the kit builds (labels, import changes…). */
export const KIT_FORMAT = 1;

/** One file of a build context, as far as the hash is concerned. */
export interface ContextFile {
  /** Path relative to the context folder, with `/` separators. */
  path: string;
  executable: boolean;
  content: Buffer | string;
}

/** Lists a build context: every file below `dir`, sorted by relative path. */
export function readContext(dir: string): ContextFile[] {
  const files: ContextFile[] = [];
  const walk = (rel: string): void => {
    const entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
    for (const entry of entries) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      const full = path.join(dir, relPath);
      if (entry.isDirectory()) walk(relPath);
      else if (entry.isFile()) {
        files.push({ path: relPath, executable: (statSync(full).mode & 0o111) !== 0, content: readFileSync(full) });
      }
    }
  };
  walk('');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A digest of a build context's paths, executable bits and contents, independent of listing order. */
export function contextDigest(files: readonly ContextFile[]): string {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const h = createHash('sha256');
  for (const file of sorted) {
    const content = createHash('sha256').update(file.content).digest('hex');
    h.update(`${file.path}\0${file.executable ? 'x' : '-'}\0${content}\n`);
  }
  return h.digest('hex');
}

/** What an image's hash is made of. */
export interface HashInput {
  /** Every tag the image gets. */
  tags: readonly string[];
  contextDigest: string;
  /** The hashes of the images it is built `FROM`, in `FROM` order (a changed base cascades). */
  parentHashes: readonly string[];
  /** Anything else that changes the result (labels, import changes). */
  extra?: readonly string[];
}

/** The content hash stored in an image's `dockyard.kit.hash` label. */
export function imageHash(input: HashInput): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({
    format: KIT_FORMAT,
    tags: input.tags,
    context: input.contextDigest,
    parents: input.parentHashes,
    extra: input.extra ?? [],
  }));
  return `sha256:${h.digest('hex')}`;
}

/** Bumped when the mirror container's own settings change, so an existing mirror is recreated. */
const MIRROR_FORMAT = 'mirror-2';

/** A hash of the images a mirror holds (reference → image ID) and of its settings, independent of order. */
export function seedHash(refsToIds: Readonly<Record<string, string>>): string {
  const lines = Object.keys(refsToIds).sort().map((ref) => `${ref}=${refsToIds[ref]}`);
  return `sha256:${createHash('sha256').update(`${KIT_FORMAT}\n${MIRROR_FORMAT}\n${lines.join('\n')}`).digest('hex')}`;
}
