import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import { IMAGES_ROOT, normalizeRef, parseFromImages, type KitImage } from './catalog.ts';
import { contextDigest, imageHash, readContext } from './hash.ts';
import { LABEL_HASH, LABEL_STAND_IN } from './labels.ts';

/** What the kit knows about one image before asking the engine. */
export interface Recipe {
  image: KitImage;
  contextDir: string;
  /** Kit references it is built `FROM` (none for the base). */
  parents: string[];
  contextDigest: string;
  /** Extra hash input: the base's import changes. */
  extra: string[];
}

/** An image as the engine lists it. */
export interface EngineImage {
  id: string;
  tags: string[];
  labels: Record<string, string>;
}

/** Whether one kit image is present and built from its current recipe. */
export interface ImageState {
  ref: string;
  /** The hash it should carry, when its parents are present. */
  expectedHash: string | undefined;
  id: string | undefined;
  upToDate: boolean;
  /** Why not, e.g. `missing`, `stale (recipe changed)`. */
  reason?: string;
}

/** Reads the recipe (context digest and `FROM` parents) of one kit image from disk. */
export function readRecipe(image: KitImage, root = IMAGES_ROOT, extra: string[] = []): Recipe {
  const contextDir = path.join(root, image.dir);
  const files = readContext(contextDir);
  const parents = image.source === 'dockerfile' ? parseFromImages(readFileSync(path.join(contextDir, 'Dockerfile'), 'utf8')) : [];
  return { image, contextDir, parents, contextDigest: contextDigest(files), extra };
}

/** Indexes the engine's images by every tag they carry (`busybox` → `busybox:latest`). */
export function indexEngineImages(list: readonly Docker.ImageInfo[]): Map<string, EngineImage> {
  const byTag = new Map<string, EngineImage>();
  for (const info of list) {
    const image: EngineImage = { id: info.Id, tags: info.RepoTags ?? [], labels: info.Labels ?? {} };
    for (const tag of image.tags) if (tag !== '<none>:<none>') byTag.set(normalizeRef(tag), image);
  }
  return byTag;
}

/** The hash children build on: an image's own hash label, or its ID for a pulled image without one. */
export function actualHash(image: EngineImage): string {
  return image.labels[LABEL_HASH] ?? `id:${image.id}`;
}

/** The hash an image should carry given its parents as they are in the engine; undefined if one is missing. */
export function expectedHash(recipe: Recipe, engine: ReadonlyMap<string, EngineImage>): string | undefined {
  const parentHashes: string[] = [];
  for (const parent of recipe.parents) {
    const found = engine.get(normalizeRef(parent));
    if (!found) return undefined;
    parentHashes.push(actualHash(found));
  }
  return imageHash({ tags: recipe.image.tags, contextDigest: recipe.contextDigest, parentHashes, extra: recipe.extra });
}

/** Compares one recipe with the engine: present under every tag, and carrying the expected hash. */
export function evaluate(recipe: Recipe, engine: ReadonlyMap<string, EngineImage>): ImageState {
  const { image } = recipe;
  const found = engine.get(normalizeRef(image.ref));
  const hash = expectedHash(recipe, engine);
  const state = (upToDate: boolean, reason?: string): ImageState => ({
    ref: image.ref,
    expectedHash: hash,
    id: found?.id,
    upToDate,
    ...(reason ? { reason } : {}),
  });
  if (!found) return state(false, 'missing');
  const untagged = image.tags.filter((tag) => engine.get(normalizeRef(tag))?.id !== found.id);
  if (untagged.length) return state(false, `tag ${untagged.join(', ')} missing or on another image`);
  // A pulled official base image carries no kit labels: it is what we want.
  if (image.source === 'base' && found.labels[LABEL_STAND_IN] !== 'true' && !found.labels[LABEL_HASH]) return state(true);
  if (!hash) return state(false, 'a parent image is missing');
  if (found.labels[LABEL_HASH] !== hash) {
    return state(false, found.labels[LABEL_HASH] ? 'stale (its recipe or a parent changed)' : 'not built by the kit');
  }
  return state(true);
}
