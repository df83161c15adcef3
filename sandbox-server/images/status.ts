import type Docker from 'dockerode';
import { IMAGES_ROOT, KIT, buildOrder, normalizeRef, type KitImage } from './catalog.ts';
import { baseHashExtra } from './base-image.ts';
import { seedHash } from './hash.ts';
import { mirrorContents, mirrorState, type MirrorState } from './mirror.ts';
import { evaluate, indexEngineImages, readRecipe, type ImageState, type Recipe } from './state.ts';
import { INDEX_IMAGE } from './labels.ts';
import { packageIndexState, type IndexState } from './package-index.ts';

/** The name `missing` uses for the course mirror. */
export const MIRROR_ENTRY = 'mirror';
/** The name `missing` uses for the package index container. */
export const INDEX_ENTRY = 'package-index';

/** Whether the kit is complete: every image current and the mirror serving them. */
export interface KitStatus {
  ready: boolean;
  /** Image references (and `mirror`) that are missing, stale or not serving. */
  missing: string[];
  /** Why each entry of `missing` is there. */
  reasons: Record<string, string>;
  images: ImageState[];
  mirror: MirrorState;
  /** The package index container; absent when the kit has no index image. */
  index?: IndexState;
}

/** Reads every recipe from disk, in build order (parents first). */
export function loadRecipes(kit: readonly KitImage[] = KIT, root = IMAGES_ROOT): Recipe[] {
  const recipes = new Map(kit.map((image) => [image, readRecipe(image, root, image.source === 'base' ? baseHashExtra(image) : [])]));
  return buildOrder(kit, (image) => recipes.get(image)!.parents).map((image) => recipes.get(image)!);
}

/** Checks images, mirror and package index with three list calls and no build: quick enough for a health endpoint. */
export async function imageStatus(docker: Docker, kit: readonly KitImage[] = KIT): Promise<KitStatus> {
  const recipes = loadRecipes(kit);
  const images = await docker.listImages();
  const engine = indexEngineImages(images);
  const states: ImageState[] = [];
  const notReady = new Set<string>();
  for (const recipe of recipes) {
    let state = evaluate(recipe, engine);
    // A child of a stale image will be rebuilt after it: not ready either.
    const waiting = recipe.parents.find((p) => notReady.has(normalizeRef(p)));
    if (state.upToDate && waiting) state = { ...state, upToDate: false, reason: `rebuilds after ${waiting}` };
    if (!state.upToDate) for (const tag of recipe.image.tags) notReady.add(normalizeRef(tag));
    states.push(state);
  }
  const contents = mirrorContents(kit, engine);
  const allImagesCurrent = states.every((s) => s.upToDate);
  const mirror = await mirrorState(docker, contents && allImagesCurrent ? seedHash(contents) : undefined);
  const missing: string[] = [];
  const reasons: Record<string, string> = {};
  for (const s of states) {
    if (s.upToDate) continue;
    missing.push(s.ref);
    reasons[s.ref] = s.reason ?? 'not ready';
  }
  if (!mirror.ready) {
    missing.push(MIRROR_ENTRY);
    reasons[MIRROR_ENTRY] = mirror.reason ?? 'not ready';
  }
  const index = kit.some((image) => image.ref === INDEX_IMAGE)
    ? await packageIndexState(docker, engine.get(INDEX_IMAGE)?.id)
    : undefined;
  if (index && !index.ready) {
    missing.push(INDEX_ENTRY);
    reasons[INDEX_ENTRY] = index.reason ?? 'not ready';
  }
  return { ready: missing.length === 0, missing, reasons, images: states, mirror, ...(index ? { index } : {}) };
}
