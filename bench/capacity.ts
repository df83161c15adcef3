/**
 * How many idle sandboxes one machine holds: sandboxes of one kind are started in steps and
 * left idle (running, or frozen as the service freezes pooled and idle ones); after each step
 * a few more are started and timed, and the host's available memory is read. The machine is
 * "full" at the step where starting one takes more than DEGRADED× as long as on the empty
 * machine, or the memory left falls under a floor. Frozen, the thaw of idle ones is timed too.
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
  /** Whether the idle sandboxes were frozen. */
  frozen: boolean;
  /** Median time to thaw one frozen idle sandbox (frozen runs only). */
  thawMs?: number | undefined;
  /** Slowest of the timed thaws (frozen runs only). */
  thawMaxMs?: number | undefined;
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
  { step = 10, max = 100, probes = 3, deadlineMs = 15 * 60_000, freeze = false, thaws = 10, log = (_: string) => {} } = {},
): Promise<Capacity> {
  const driver = new SandboxDriver(docker);
  const idle: Sandbox[] = [];
  /** Leaves a new sandbox idle: as it is, or frozen. */
  const keep = async (sandbox: Sandbox) => {
    // The freezer may fail to settle on a busy host: one more try, then it counts as a frozen one that is not.
    if (freeze) await driver.freeze(sandbox).catch(() => driver.freeze(sandbox)).catch((err: unknown) => log(`freezing ${sandbox.id}: ${(err as Error).message}`));
    idle.push(sandbox);
  };
  const thawTimes: number[] = [];
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
        const sandbox = await driver.create(kind);
        times.push(performance.now() - t);
        await keep(sandbox);
      }
      const point = { idle: idle.length - probes, startMs: median(times), availableMiB: availableMiB() };
      steps.push(point);
      log(`${kind}${freeze ? ' (frozen)' : ''}: ${point.idle} idle → start ${Math.round(point.startMs)} ms, ${Math.round(point.availableMiB)} MiB available`);
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
        await Promise.all(Array.from({ length: batch }, async () => keep(await driver.create(kind))));
      }
    }
    // The thaw a student's first keystroke waits for, on the full machine: one idle sandbox after the other.
    if (freeze) for (const sandbox of idle.slice(0, thaws)) thawTimes.push(await driver.thaw(sandbox));
  } finally {
    for (let i = 0; i < idle.length; i += 8) await Promise.all(idle.slice(i, i + 8).map((s) => driver.remove(s).catch(() => {})));
  }
  const last = steps.at(-1)!;
  const degraded = limit.startsWith('start time') || limit.startsWith('available memory');
  const holds = degraded ? (steps.at(-2)?.idle ?? 0) : last.idle + 3;
  const perSandboxMiB = (baseMemory - last.availableMiB) / Math.max(1, last.idle + 3);
  const thawMs = thawTimes.length ? median(thawTimes) : undefined;
  const thawMaxMs = thawTimes.length ? Math.max(...thawTimes) : undefined;
  return { kind, frozen: freeze, thawMs, thawMaxMs, steps, holds, limit, perSandboxMiB };
}

/** The `capacity` section of docs/benchmarks.md for the climbs `found`; `scale` says how far they were allowed to go. */
export function capacitySection(found: readonly Capacity[], scale: string): string {
  const name = (c: Capacity) => `${c.kind}${c.frozen ? ', frozen' : ''}`;
  return [
    '## Capacity: idle sandboxes one machine holds',
    '',
    `Written by \`npm run loadtest\` after the load test (or \`npm run capacity\` alone), with no server running: sandboxes of one`,
    `kind started in steps and left idle, running or frozen (\`docker pause\`, as the service freezes pooled and idle`,
    `sandboxes); at each step 3 more are started one after the other and timed (median), and MemAvailable is read.`,
    `The machine counts as full at the step where a start takes more than ${DEGRADED}× as long as on the empty machine,`,
    `or where available memory falls under ${Math.round(MEMORY_FLOOR * 100)} % of the total. Frozen climbs then thaw`,
    `idle sandboxes one after the other on the full machine and time each thaw. ${scale}`,
    '',
    '| Kind | Holds (idle, before degrading) | What stopped the climb | Memory per idle sandbox | Start time, empty → last step | Thaw, median (max) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...found.map(
      (c) =>
        `| ${name(c)} | ${c.holds} | ${c.limit} | ${c.perSandboxMiB.toFixed(1)} MiB | ${Math.round(c.steps[0]!.startMs)} ms → ${Math.round(c.steps.at(-1)!.startMs)} ms at ${c.steps.at(-1)!.idle} idle | ${c.thawMs === undefined ? '–' : `${c.thawMs.toFixed(1)} ms (${c.thawMaxMs!.toFixed(1)} ms)`} |`,
    ),
    '',
    ...found.map((c) => `- ${name(c)} steps (idle → start ms, MiB available): ${c.steps.map((s) => `${s.idle} → ${Math.round(s.startMs)}, ${Math.round(s.availableMiB)}`).join('; ')}`),
  ].join('\n');
}

/** The climbs of a capacity run: docker sandboxes running and frozen, python ones running. */
export const CAPACITY_CLIMBS = [
  ['docker', false],
  ['docker', true],
  ['python', false],
] as const satisfies ReadonlyArray<readonly [SandboxKind, boolean]>;
