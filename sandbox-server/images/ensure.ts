import type Docker from 'dockerode';
import { debianMirror } from './apt-mirror.ts';
import { baseSuite, debootstrapBase, tryPull } from './base-image.ts';
import { buildDockerfileImage } from './build.ts';
import { findByTag, KIT, type KitImage } from './catalog.ts';
import { seedHash } from './hash.ts';
import { INDEX_IMAGE, INDEX_URL, LABEL_MANAGED, MIRROR_NETWORK } from './labels.ts';
import { withKitLock } from './lock.ts';
import { mirrorContents, mirrorState, seedMirror, startMirrorIfStopped } from './mirror.ts';
import { packageIndexState, startPackageIndex } from './package-index.ts';
import { formatProgress, KitBuildError, type ProgressEvent, type ProgressHandler } from './progress.ts';
import { evaluate, indexEngineImages, type Recipe } from './state.ts';
import { loadRecipes } from './status.ts';

/** Options of ensureImages. */
export interface EnsureOptions {
  onProgress?: ProgressHandler;
  /** Rebuild every image (without the layer cache) and reseed the mirror. */
  force?: boolean;
  /** The images to ensure; the whole kit by default. */
  kit?: readonly KitImage[];
}

/** What ensureImages did. */
export interface EnsureResult {
  built: string[];
  skipped: string[];
  mirrorSeeded: boolean;
  durationMs: number;
}

let running: Promise<EnsureResult> | undefined;

/**
 * Builds every missing or stale kit image in dependency order, then (re)seeds and starts the read-only mirror;
 * concurrent calls in one process share one run, other processes wait on a lock file. Throws KitBuildError naming the image that failed.
 */
export function ensureImages(docker: Docker, opts: EnsureOptions = {}): Promise<EnsureResult> {
  const onWait = (message: string) => opts.onProgress?.(message, { type: 'info', message });
  running ??= withKitLock(() => runEnsure(docker, opts), onWait).finally(() => {
    running = undefined;
  });
  return running;
}

async function runEnsure(docker: Docker, opts: EnsureOptions): Promise<EnsureResult> {
  const started = Date.now();
  const report = opts.onProgress ?? (() => {});
  const onProgress = (event: ProgressEvent) => report(formatProgress(event), event);
  const kit = opts.kit ?? KIT;
  const recipes = loadRecipes(kit);
  const servesIndex = kit.some((image) => image.ref === INDEX_IMAGE);
  const total = recipes.length + 1 + (servesIndex ? 1 : 0);
  const built: string[] = [];
  const skipped: string[] = [];

  // Images whose parents are ready build side by side, `jobs` at a time: most of a build waits on
  // the package archive, not on the CPU.
  const jobs = kitJobs();
  const slots = semaphore(jobs);
  const finished = new Map<KitImage, Promise<void>>();
  const buildStep = async (recipe: Recipe, step: number): Promise<void> => {
    const subject = recipe.image.ref;
    const engine = indexEngineImages(await docker.listImages());
    const state = evaluate(recipe, engine);
    if (state.upToDate && !opts.force) {
      onProgress({ type: 'skip', step, total, subject, message: 'up to date' });
      skipped.push(subject);
      return;
    }
    if (!state.expectedHash) throw new KitBuildError(subject, 'a parent image is missing after building it');
    const t0 = Date.now();
    onProgress({ type: 'start', step, total, subject, message: `building… (${opts.force ? 'forced' : state.reason})` });
    const onOutput = (line: string) => onProgress({ type: 'output', step, total, subject, message: jobs > 1 ? `${subject}: ${line}` : line });
    try {
      await buildOne(docker, recipe, state.expectedHash, onOutput, opts.force ?? false);
    } catch (err) {
      const error = err instanceof KitBuildError ? err : new KitBuildError(subject, (err as Error).message);
      onProgress({ type: 'fail', step, total, subject, message: `FAILED: ${error.message.split('\n')[0]}`, durationMs: Date.now() - t0 });
      throw error;
    }
    onProgress({ type: 'done', step, total, subject, message: 'built', durationMs: Date.now() - t0 });
    built.push(subject);
  };
  for (const [i, recipe] of recipes.entries()) {
    // recipes come parents first, so every parent's promise exists already.
    const parents = recipe.parents.map((ref) => finished.get(findByTag(kit, ref)!)!);
    finished.set(recipe.image, Promise.all(parents).then(() => slots(() => buildStep(recipe, i + 1))));
  }
  const outcomes = await Promise.allSettled(finished.values());
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;

  // The mirror's seed hash covers the student images' IDs: a rebuilt sandbox image leaves it as it is.
  const mirrorSeeded = await ensureMirror(docker, kit, recipes.length + 1, total, onProgress, opts.force ?? false);
  if (servesIndex) await ensureIndex(docker, total, onProgress);
  if (built.length > 0) {
    // Superseded versions of kit images are left dangling by a rebuild.
    await docker.pruneImages({ filters: { dangling: ['true'], label: [`${LABEL_MANAGED}=true`] } }).catch(() => {});
  }
  return { built, skipped, mirrorSeeded, durationMs: Date.now() - started };
}

async function buildOne(docker: Docker, recipe: Recipe, hash: string, onOutput: (line: string) => void, force: boolean): Promise<void> {
  const { image } = recipe;
  if (image.source === 'dockerfile') {
    await buildDockerfileImage(docker, image, { contextDir: recipe.contextDir, hash, onOutput, noCache: force });
    return;
  }
  onOutput(`trying docker pull ${image.ref}`);
  if (await tryPull(docker, image.ref)) {
    onOutput(`pulled ${image.ref} from a registry`);
    return;
  }
  const mirror = debianMirror(process.env, undefined, baseSuite(image));
  onOutput('no registry answers: building it locally');
  await debootstrapBase(docker, image, { mirror, hash, recipeDir: recipe.contextDir, onOutput });
}

async function ensureMirror(
  docker: Docker,
  kit: readonly KitImage[],
  step: number,
  total: number,
  onProgress: (event: ProgressEvent) => void,
  reseed: boolean,
): Promise<boolean> {
  const subject = 'mirror';
  const engine = indexEngineImages(await docker.listImages());
  const contents = mirrorContents(kit, engine);
  if (!contents) throw new KitBuildError(subject, 'a student image is missing after the builds');
  if (!reseed) {
    await startMirrorIfStopped(docker).catch(() => false);
    const state = await mirrorState(docker, seedHash(contents));
    if (state.ready) {
      onProgress({ type: 'skip', step, total, subject, message: 'up to date' });
      return false;
    }
  }
  const t0 = Date.now();
  onProgress({ type: 'start', step, total, subject, message: `seeding ${Object.keys(contents).length} tags…` });
  try {
    await seedMirror(docker, {
      contents,
      onOutput: (line) => onProgress({ type: 'output', step, total, subject, message: line }),
    });
  } catch (err) {
    const error = new KitBuildError(subject, (err as Error).message);
    onProgress({ type: 'fail', step, total, subject, message: `FAILED: ${error.message.split('\n')[0]}`, durationMs: Date.now() - t0 });
    throw error;
  }
  onProgress({ type: 'done', step, total, subject, message: 'seeded and serving read-only', durationMs: Date.now() - t0 });
  return true;
}

/** Starts the package index container unless it already runs the current index image. */
async function ensureIndex(docker: Docker, step: number, onProgress: (event: ProgressEvent) => void): Promise<void> {
  const subject = 'package index';
  const imageId = (await docker.getImage(INDEX_IMAGE).inspect().catch(() => undefined))?.Id;
  if (!imageId) throw new KitBuildError(subject, `${INDEX_IMAGE} is missing after the builds`);
  if ((await packageIndexState(docker, imageId)).ready) {
    onProgress({ type: 'skip', step, total: step, subject, message: 'up to date' });
    return;
  }
  const t0 = Date.now();
  onProgress({ type: 'start', step, total: step, subject, message: 'starting…' });
  try {
    await startPackageIndex(docker);
  } catch (err) {
    const error = new KitBuildError(subject, (err as Error).message);
    onProgress({ type: 'fail', step, total: step, subject, message: `FAILED: ${error.message.split('\n')[0]}`, durationMs: Date.now() - t0 });
    throw error;
  }
  onProgress({ type: 'done', step, total: step, subject, message: `serving ${INDEX_URL} on network ${MIRROR_NETWORK}`, durationMs: Date.now() - t0 });
}

/** How many kit images build at once: `DOCKYARD_KIT_JOBS`, 2 by default. */
export function kitJobs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.DOCKYARD_KIT_JOBS ?? 2);
  return Number.isInteger(n) && n >= 1 ? n : 2;
}

/** Runs at most `n` of the functions it is given at once. */
function semaphore(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    // A freed slot passes straight to the next waiter, so `active` never exceeds n.
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    else active += 1;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}
