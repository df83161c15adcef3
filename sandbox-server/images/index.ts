/** The offline image kit: builds the images the course needs and serves them from a local read-only mirror. */
export { ensureImages, type EnsureOptions, type EnsureResult } from './ensure.ts';
export { imageStatus, loadRecipes, MIRROR_ENTRY, INDEX_ENTRY, type KitStatus } from './status.ts';
export { KIT, kitImageNames, type KitImage } from './catalog.ts';
export { formatProgress, formatDuration, KitBuildError, type ProgressEvent, type ProgressHandler } from './progress.ts';
export {
  LABEL_MANAGED, LABEL_ROLE, LABEL_HASH, LABEL_STAND_IN, LABEL_SEED,
  MIRROR_NETWORK, MIRROR_CONTAINER, MIRROR_VOLUME, MIRROR_URL, INDEX_CONTAINER, INDEX_IMAGE, INDEX_URL, COURSE_HOSTS,
} from './labels.ts';
