import { backoffDelay } from '../backoff.ts';

/** A running poll: stop() ends it; now() polls at once (after an action changed the data). */
export interface LivePoll {
  stop(): void;
  now(): Promise<void>;
}

/** The part of the document a poll watches: whether the page is hidden, and when that changes. */
export type Visibility = Pick<Document, 'hidden' | 'addEventListener' | 'removeEventListener'>;

/**
 * Calls `load` every `everyMs` while the page is visible, and at once when it becomes
 * visible again; after failures it waits longer (the workspace's backoff) and reports them.
 */
export function pollLive(load: () => Promise<void>, everyMs: number, onError: (err: unknown) => void, page: Visibility = document): LivePoll {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let stopped = false;
  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!stopped && !page.hidden) timer = setTimeout(() => void tick(), ms);
  };
  const tick = async () => {
    try {
      await load();
      failures = 0;
    } catch (err) {
      failures++;
      onError(err);
    }
    schedule(failures === 0 ? everyMs : Math.max(everyMs, backoffDelay(failures)));
  };
  const visible = () => {
    if (!page.hidden) void tick();
  };
  page.addEventListener('visibilitychange', visible);
  void tick();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      page.removeEventListener('visibilitychange', visible);
    },
    now: tick,
  };
}
