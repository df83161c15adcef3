import { afterEach, describe, expect, it, vi } from 'vitest';
import { HEARTBEAT_MS, startHeartbeat } from './heartbeat.ts';

afterEach(() => vi.useRealTimers());

describe('startHeartbeat', () => {
  it('pings every 30 s until stopped', () => {
    vi.useFakeTimers();
    const ping = vi.fn();
    const stop = startHeartbeat(ping);
    vi.advanceTimersByTime(HEARTBEAT_MS - 1);
    expect(ping).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(ping).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(HEARTBEAT_MS * 2);
    expect(ping).toHaveBeenCalledTimes(3);
    stop();
    stop();
    vi.advanceTimersByTime(HEARTBEAT_MS * 5);
    expect(ping).toHaveBeenCalledTimes(3);
  });
});
