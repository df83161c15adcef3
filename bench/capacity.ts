/**
 * How many idle sandboxes one machine holds: sandboxes of one kind are started in steps and
 * left idle; after each step a few more are started and timed, and the host's available
 * memory is read. The machine is "full" at the step where starting one takes more than
 * DEGRADED× as long as on the empty machine, or the memory left falls under a floor.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type Docker from 'dockerode';
import { SandboxDriver, type Sandbox, type SandboxKind } from '../sandbox-server/docker/driver.ts';
import { median } from './stats.ts';

/** Starting a sandbox this many times slower than on the empty machine counts as degraded. */
export const DEGRADED = 3;
/** Memory the host must keep available, as a share of its total. */
export const MEMORY_FLOOR = 0.15;

export interface CapacityStep {
  idle: number;
  startMs: number;
  availableMiB: number;
}

export interface Capacity {
  kind: SandboxKind;
  steps: CapacityStep[];
  /** Idle sandboxes held before the first degraded step (or all of them when none degraded). */
  holds: number;
  /** What stopped the climb. */
  limit: string;
  perSandboxMiB: number;
}

/** MemAvailable of /proc/meminfo, in MiB. */
export function availableMiB(meminfo = readFileSync('/proc/meminfo', 'utf8')): number {
  const kb = Number(/^MemAvailable:\s+(\d+) kB/m.exec(meminfo)?.[1]);
  return kb / 1024;
}

function totalMiB(meminfo = readFileSync('/proc/meminfo', 'utf8')): number {
  return Number(/^MemTotal:\s+(\d+) kB/m.exec(meminfo)?.[1]) / 1024;
}

/**
 * Climbs in steps of `step` idle sandboxes up to `max` (and within `deadlineMs`), timing `probes`
 * starts at each step; removes everything it started before returning.
 */
export async function measureCapacity(
  docker: Docker,
  kind: SandboxKind,
  { step = 10, max = 100, probes = 3, deadlineMs = 15 * 60_000, log = (_: string) => {} } = {},
): Promise<Capacity> {
  const driver = new SandboxDriver(docker);
  const idle: Sandbox[] = [];
  const steps: CapacityStep[] = [];
  const started = performance.now();
  const floor = totalMiB() * MEMORY_FLOOR;
  const baseMemory = availableMiB();
  let limit = `reached the bench's ceiling of ${max}`;
  try {
    for (;;) {
      // Probe: a few starts timed one after the other, on top of the idle ones; they stay as idle ones.
      const times: number[] = [];
      for (let i = 0; i < probes; i++) {
        const t = performance.now();
        idle.push(await driver.create(kind));
        times.push(performance.now() - t);
      }
      const point = { idle: idle.length - probes, startMs: median(times), availableMiB: availableMiB() };
      steps.push(point);
      log(`${kind}: ${point.idle} idle → start ${Math.round(point.startMs)} ms, ${Math.round(point.availableMiB)} MiB available`);
      if (point.startMs > DEGRADED * steps[0]!.startMs) {
        limit = `start time above ${DEGRADED}× the empty machine's`;
        break;
      }
      if (point.availableMiB < floor) {
        limit = `available memory under ${Math.round(MEMORY_FLOOR * 100)} % of the total`;
        break;
      }
      if (idle.length >= max) break;
      if (performance.now() - started > deadlineMs) {
        limit = `the bench's time bound (${Math.round(deadlineMs / 60_000)} min)`;
        break;
      }
      // Fill up to the next step, several at a time.
      const target = Math.min(max, idle.length + step - probes);
      while (idle.length < target) {
        const batch = Math.min(4, target - idle.length);
        idle.push(...(await Promise.all(Array.from({ length: batch }, () => driver.create(kind)))));
      }
    }
  } finally {
    for (let i = 0; i < idle.length; i += 8) await Promise.all(idle.slice(i, i + 8).map((s) => driver.remove(s).catch(() => {})));
  }
  const last = steps.at(-1)!;
  const degraded = limit.startsWith('start time') || limit.startsWith('available memory');
  const holds = degraded ? (steps.at(-2)?.idle ?? 0) : last.idle + 3;
  const perSandboxMiB = (baseMemory - last.availableMiB) / Math.max(1, last.idle + 3);
  return { kind, steps, holds, limit, perSandboxMiB };
}
