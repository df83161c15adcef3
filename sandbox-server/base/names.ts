/**
 * Names every layer shares: the labels on what Dockyard creates in the engine, and the kinds of sandbox.
 * Nothing here imports anything but the wire contract and the image kit's own names (leaves too).
 */

/** On every image, container, volume and network Dockyard creates (`true`), and what it is for. */
export { LABEL_MANAGED, LABEL_ROLE } from '../images/labels.ts';

/** The kinds of sandbox Dockyard runs (part of the wire contract: a session is created with one). */
export { SANDBOX_KINDS, type SandboxKind } from '../contract/session.ts';

/** On every object that belongs to one sandbox: its id. */
export const LABEL_SANDBOX = 'dockyard.sandbox';
/** On sandbox containers: the kind. */
export const LABEL_KIND = 'dockyard.sandbox.kind';
/** On every sandbox object: the service instance that created it. */
export const LABEL_INSTANCE = 'dockyard.instance';
/** On every sandbox object: when it was created (ms since the epoch). */
export const LABEL_CREATED = 'dockyard.created';
/** On every sandbox object: the process that created it, `host/pid`, so others can tell whether it still runs. */
export const LABEL_OWNER = 'dockyard.owner';
/** On warm-pool sandboxes: the pool they were made for (a kind, or `check`). */
export const LABEL_POOL = 'dockyard.pool';
/** On every container a check or a run uses: which checker (`python`, `sandbox`, `terminal`, `python-run`). */
export const LABEL_CHECKER = 'dockyard.checker';
/** On a kept sandbox's storage and its container: the kept sandbox (one per student and kind). */
export const LABEL_KEPT = 'dockyard.kept';
/** On a kept sandbox's storage: the student it belongs to (their user id). */
export const LABEL_KEPT_OWNER = 'dockyard.kept.owner';
/** On a kept sandbox's storage and its keep markers: until when it is kept (ms since the epoch). */
export const LABEL_KEPT_UNTIL = 'dockyard.kept.until';
