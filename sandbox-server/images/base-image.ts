import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type Docker from 'dockerode';
import { DEBIAN_SUITE } from './apt-mirror.ts';
import type { KitImage } from './catalog.ts';
import { LABEL_DESCRIPTION, LABEL_HASH, LABEL_MANAGED, LABEL_REF, LABEL_ROLE, LABEL_STAND_IN } from './labels.ts';
import { followStream, withTimeout } from './stream.ts';

/** The image config a debootstrapped tree is imported with (part of the base's hash). */
export const BASE_IMPORT_CHANGES: readonly string[] = [
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'CMD ["bash"]',
];

/** The Debian suite a base image is debootstrapped from. */
export function baseSuite(image: KitImage): string {
  return image.suite ?? DEBIAN_SUITE;
}

function baseDescription(suite: string): string {
  return `Dockyard's offline stand-in for debian:${suite}-slim: debootstrap --variant=minbase ${suite} from this machine's Debian mirror, imported locally.`;
}

/** The `--change` instructions for importing the base: config plus the kit's labels. */
export function baseImportChanges(image: KitImage, hash: string): string[] {
  const labels: Record<string, string> = {
    [LABEL_MANAGED]: 'true',
    [LABEL_ROLE]: 'kit-image',
    [LABEL_REF]: image.ref,
    [LABEL_HASH]: hash,
    [LABEL_STAND_IN]: 'true',
    [LABEL_DESCRIPTION]: baseDescription(baseSuite(image)),
    'org.opencontainers.image.title': 'debian',
  };
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return [...BASE_IMPORT_CHANGES, `LABEL ${pairs.join(' ')}`];
}

/** Extra hash input of a base image: its import changes and description. */
export function baseHashExtra(image: KitImage): string[] {
  return [...BASE_IMPORT_CHANGES, baseDescription(baseSuite(image))];
}

/** Tries `docker pull` of an official image; false (quickly, offline) when no registry answers. */
export async function tryPull(docker: Docker, ref: string, timeoutMs = 120_000): Promise<boolean> {
  try {
    const stream = await withTimeout(docker.pull(ref), 15_000, `pull ${ref}`);
    await withTimeout(followStream(docker, stream), timeoutMs, `pull ${ref}`);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command, passing each output line to `onLine`; rejects with the last lines when it fails. */
function run(cmd: string, args: string[], onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const take = (line: string) => {
      tail.push(line);
      if (tail.length > 15) tail.shift();
      onLine(line);
    };
    createInterface({ input: child.stdout }).on('line', take);
    createInterface({ input: child.stderr }).on('line', take);
    child.on('error', (err) => reject(new Error(`${cmd}: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} exited with code ${code}\n${tail.join('\n')}`));
    });
  });
}

/** Keeps debootstrap's phase lines, drops its per-package ones. */
export function isDebootstrapPhase(line: string): boolean {
  if (!/^[IEW]: /.test(line)) return false;
  // Per-package lines: `I: Retrieving adduser 3.134`, `I: Extracting bash...`.
  return !/^I: (Retrieving|Validating) \S+ \S+\s*$|^I: (Extracting|Unpacking|Configuring) [^ ]+\.\.\.$/.test(line);
}

/** Unmounts anything debootstrap may have left mounted below `dir` (on failure), deepest first. */
async function unmountBelow(dir: string): Promise<void> {
  let mounts: string[] = [];
  try {
    mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(`${dir}/`));
  } catch {
    return;
  }
  for (const m of mounts.sort().reverse()) await run('umount', ['-l', m], () => {}).catch(() => {});
}

/** Options of building the base locally. */
export interface DebootstrapOptions {
  mirror: string;
  hash: string;
  /** Folder of the base's recipe (holds `slim.sh`). */
  recipeDir: string;
  onOutput?: (line: string) => void;
}

/**
 * Builds the base without a registry: `debootstrap --variant=minbase` from `mirror`, `slim.sh` on the tree,
 * then `tar -C DIR -c . | docker import` with the kit's labels; returns the new image ID.
 */
export async function debootstrapBase(docker: Docker, image: KitImage, opts: DebootstrapOptions): Promise<string> {
  const onOutput = opts.onOutput ?? (() => {});
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error('debootstrap needs root: run `npm run images` as root, or make a registry reachable so the base can be pulled');
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dockyard-debian-'));
  try {
    const suite = baseSuite(image);
    onOutput(`debootstrap --variant=minbase ${suite} from ${opts.mirror}`);
    await run('debootstrap', ['--variant=minbase', suite, dir, opts.mirror], (line) => {
      if (isDebootstrapPhase(line)) onOutput(line);
    }).catch((err: Error) => {
      throw new Error(
        (err.message.includes('ENOENT') ? 'debootstrap is not installed (apt-get install debootstrap)\n' : '') + err.message,
      );
    });
    await unmountBelow(dir);
    onOutput('slim.sh: trimming the tree');
    await run('sh', [path.join(opts.recipeDir, 'slim.sh'), dir], onOutput);
    onOutput(`docker import → ${image.tags.join(', ')}`);
    const tar = spawn('tar', ['--numeric-owner', '-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let tarErr = '';
    tar.stderr.on('data', (d: Buffer) => { tarErr += d.toString(); });
    const tarDone = new Promise<void>((resolve, reject) => {
      tar.on('error', reject);
      tar.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tar exited with code ${code}: ${tarErr.trim()}`))));
    });
    const [repo, tag] = splitRef(image.tags[0]!);
    const stream = await docker.importImage(tar.stdout, { repo, tag, changes: baseImportChanges(image, opts.hash) } as Record<string, unknown>);
    const output = await followStream(docker, stream);
    await tarDone;
    const last = output.map((m) => m.status ?? '').filter(Boolean).pop() ?? '';
    const id = last.startsWith('sha256:') ? last.trim() : (await docker.getImage(image.tags[0]!).inspect()).Id;
    for (const extra of image.tags.slice(1)) {
      const [r, t] = splitRef(extra);
      await docker.getImage(id).tag({ repo: r, tag: t });
    }
    return id;
  } finally {
    await unmountBelow(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Splits `name:tag` (the tag after the last `:` that follows the last `/`). */
export function splitRef(ref: string): [string, string] {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
}
