/** The results table and docs/benchmarks.md, rendered from measured rows. */
import type { MachineFacts } from './machine-facts.ts';
import { formatRatio, formatValue, median, percentile, type Unit } from './stats.ts';

/** What a row's figure is held against. */
export type Target =
  | { kind: 'ratio-at-most'; max: number; note?: string }
  | { kind: 'ratio-below'; below: number; note?: string }
  | { kind: 'ratio-at-least'; min: number; note?: string }
  | { kind: 'absolute-at-most'; max: number; note?: string }
  | { kind: 'report'; note?: string };

/** One measure beside its baseline, both measured in the same run. */
export interface Row {
  measure: string;
  unit: Unit;
  samples: number[];
  baseline: string;
  baselineSamples: number[];
  target: Target;
  how: string;
  /** Set when the measurement could not run. */
  error?: string;
}

/** The row's figures: medians, p90, ratio and whether the target is met (undefined: nothing to meet). */
export function summarize(row: Row): { median: number; p90: number; baselineMedian: number; ratio: number; met: boolean | undefined } {
  const m = median(row.samples);
  const b = median(row.baselineSamples);
  const ratio = m / b;
  const t = row.target;
  const met =
    row.error !== undefined || row.samples.length === 0
      ? false
      : t.kind === 'ratio-at-most'
        ? ratio <= t.max
        : t.kind === 'ratio-below'
          ? ratio < t.below
          : t.kind === 'ratio-at-least'
            ? ratio >= t.min
            : t.kind === 'absolute-at-most'
            ? m <= t.max
            : undefined;
  return { median: m, p90: percentile(row.samples, 90), baselineMedian: b, ratio, met };
}

function describeTarget(row: Row): string {
  const t = row.target;
  const text =
    t.kind === 'ratio-at-most'
      ? `≤ ${t.max}× baseline`
      : t.kind === 'ratio-below'
        ? `< ${t.below}× baseline`
        : t.kind === 'ratio-at-least'
          ? `≥ ${t.min}× baseline`
          : t.kind === 'absolute-at-most'
          ? `≤ ${formatValue(t.max, row.unit)}`
          : 'report only';
  return t.note ? `${text} (${t.note})` : text;
}

/** The results as a Markdown table. */
export function renderTable(rows: readonly Row[]): string {
  const lines = [
    '| Measure | Runs | Median | p90 | Baseline | Baseline median | Ratio | Target | Met |',
    '|---|---:|---:|---:|---|---:|---:|---|---|',
  ];
  for (const row of rows) {
    const s = summarize(row);
    const failed = row.error !== undefined;
    const met = failed ? 'no (failed to run)' : s.met === undefined ? '—' : s.met ? 'yes' : 'no';
    lines.push(
      `| ${row.measure} | ${row.samples.length} | ${formatValue(s.median, row.unit)} | ${formatValue(s.p90, row.unit)} | ${row.baseline} | ${formatValue(s.baselineMedian, row.unit)} | ${formatRatio(s.ratio)} | ${describeTarget(row)} | ${met} |`,
    );
  }
  return lines.join('\n');
}

/** The whole of docs/benchmarks.md. */
export function renderDocument(facts: MachineFacts, rows: readonly Row[], extra: { durationS: number; runs: number; baselineA: number[] }): string {
  const failures = rows.filter((r) => r.error !== undefined);
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (`bench/run.ts`); do not edit by hand, run it again. Every figure is the',
    `median of ${extra.runs} or more runs (the Runs column says where a long measure has fewer) beside a baseline measured in the same run on the same machine;`,
    'p90 is the nearest-rank 90th percentile. The ratio is median ÷ baseline median.',
    '',
    '## Results',
    '',
    renderTable(rows),
    '',
    ...(failures.length
      ? ['**Measurements that failed to run:**', '', ...failures.map((r) => `- ${r.measure}: ${r.error}`), '']
      : []),
    `Baseline A, \`docker run --rm busybox true\` through the docker CLI (one unmeasured warm-up, then ${extra.baselineA.length} runs, before any`,
    `server starts): median ${formatValue(median(extra.baselineA), 'ms')}, p90 ${formatValue(percentile(extra.baselineA, 90), 'ms')}.`,
    '',
    '## Machine',
    '',
    `- Date: ${facts.date}`,
    `- CPUs: ${facts.cpus} × ${facts.cpuModel}; memory ${facts.memoryGiB} GiB; ${facts.kernel}`,
    `- Docker engine ${facts.engineVersion} (API ${facts.engineApi}), storage ${facts.storageDriver}, cgroup ${facts.cgroup}`,
    `- Isolation profile of docker sandboxes: ${facts.isolation}`,
    `- Node ${facts.node}; whole bench took ${Math.round(extra.durationS)} s`,
    '',
    '## How each row was measured',
    '',
    ...rows.map((r) => `- **${r.measure}.** ${r.how}`),
    '',
    'Servers are the real `sandbox-server/main.ts` on 127.0.0.1 (one per pool configuration), started with',
    '`DOCKYARD_SKIP_IMAGES=1`, `DOCKYARD_SKIP_SITE_BUILD=1` and a high per-client session cap. Every session the',
    'bench creates is ended with DELETE, every container it starts is removed, even when a step fails.',
    'The engine is not reserved for the bench: anything else using it meanwhile (tests, other servers) shows in the figures.',
    '',
  ].join('\n');
}
