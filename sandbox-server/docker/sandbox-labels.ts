/** Labels on the objects of sandboxes, beside `dockyard.managed` and `dockyard.role`. */

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
