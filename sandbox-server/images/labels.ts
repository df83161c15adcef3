/** Labels and names of everything the image kit creates. */

/** On every image, container, volume and network Dockyard creates. */
export const LABEL_MANAGED = 'dockyard.managed';
/** What a Dockyard object is for: `kit-image`, `mirror`, `mirror-seed`, `mirror-data`, `mirror-network`. */
export const LABEL_ROLE = 'dockyard.role';
/** The content hash an image was built from (its context, its parents' hashes, the kit format). */
export const LABEL_HASH = 'dockyard.kit.hash';
/** The kit reference an image was built as. */
export const LABEL_REF = 'dockyard.kit.ref';
/** `true` on local stand-ins for images normally pulled from Docker Hub. */
export const LABEL_STAND_IN = 'dockyard.kit.stand-in';
/** On the mirror container: the hash of the image IDs it was seeded with. */
export const LABEL_SEED = 'dockyard.mirror.seed';
export const LABEL_DESCRIPTION = 'org.opencontainers.image.description';

/** The user-defined network the mirror and docker-kind sandboxes share. */
export const MIRROR_NETWORK = 'dockyard-mirror';
/** The read-only registry container students' nested engines pull through. */
export const MIRROR_CONTAINER = 'dockyard-mirror';
/** The volume holding the mirror's registry storage. */
export const MIRROR_VOLUME = 'dockyard-mirror-data';
/** The temporary writable registry that seeds the volume. */
export const SEED_CONTAINER = 'dockyard-mirror-seed';
export const MIRROR_PORT = 5000;
/** What a nested engine passes to `--registry-mirror`. */
export const MIRROR_URL = `http://${MIRROR_CONTAINER}:${MIRROR_PORT}`;
/** The container serving the course package index (PEP 503 simple index on port 80). */
export const INDEX_CONTAINER = 'dockyard-index';
/** The image it runs. */
export const INDEX_IMAGE = 'dockyard/package-index:latest';
/** What pip uses as `index-url` in the python stand-ins. */
export const INDEX_URL = `http://${INDEX_CONTAINER}/simple/`;
/** The course's hosts: the containers every docker sandbox's network joins, the only names nested containers resolve. */
export const COURSE_HOSTS: readonly string[] = [MIRROR_CONTAINER, INDEX_CONTAINER];
