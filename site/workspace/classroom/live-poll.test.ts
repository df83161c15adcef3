import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pollLive, type Visibility } from './live-poll.ts';

/** A page whose visibility the test sets: quietly (hide), or telling the poll as a browser would (show). */
function fakePage(): Visibility & { hide(): void; show(hidden: boolean): void } {
  const listeners = new Set<() => void>();
  const page = {
    hidden: false,
    addEventListener: (_: string, fn: () => void) => listeners.add(fn),
    removeEventListener: (_: string, fn: () => void) => listeners.delete(fn),
    hide() {
      page.hidden = true;
    },
    show(hidden: boolean) {
      page.hidden = hidden;
      for (const fn of listeners) fn();
    },
  };
  return page as unknown as Visibility & { hide(): void; show(hidden: boolean): void };
}

describe('the live poll of the class view', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('polls at once, then every interval, and not after stop()', async () => {
    const load = vi.fn(async () => {});
    const poll = pollLive(load, 3000, () => {}, fakePage());
    await vi.advanceTimersByTimeAsync(0);
    expect(load).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(9000);
    expect(load).toHaveBeenCalledTimes(4);
    poll.stop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(load).toHaveBeenCalledTimes(4);
  });

  it('rests while the page is hidden and polls at once when it is shown again', async () => {
    const page = fakePage();
    const load = vi.fn(async () => {});
    pollLive(load, 3000, () => {}, page);
    await vi.advanceTimersByTimeAsync(0);
    page.hide();
    await vi.advanceTimersByTimeAsync(3000);
    expect(load).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(load).toHaveBeenCalledTimes(2);
    page.show(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('reports failures and waits longer after each, back to the interval once one succeeds', async () => {
    let failing = true;
    const load = vi.fn(async () => {
      if (failing) throw new Error('server gone');
    });
    const errors: unknown[] = [];
    pollLive(load, 1000, (err) => errors.push(err), fakePage());
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toHaveLength(1);
    // The backoff after the first failure is about a second; after three, several.
    await vi.advanceTimersByTimeAsync(1300);
    await vi.advanceTimersByTimeAsync(2600);
    const calls = load.mock.calls.length;
    await vi.advanceTimersByTimeAsync(1500);
    expect(load.mock.calls.length).toBe(calls);
    failing = false;
    await vi.advanceTimersByTimeAsync(20_000);
    const recovered = load.mock.calls.length;
    await vi.advanceTimersByTimeAsync(3000);
    expect(load.mock.calls.length).toBe(recovered + 3);
    expect((errors[0] as Error).message).toBe('server gone');
  });
});
