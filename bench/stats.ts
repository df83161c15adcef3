/** Order statistics and number formatting for benchmark samples. */

/** The median of `samples` (mean of the two middle values for an even count). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The nearest-rank `p`th percentile of `samples` (p in 0..100). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** A value in `unit` with sensible precision (ms below 10 get two decimals). */
/** The units of the bench's figures. */
export type Unit = 'ms' | 'MiB' | 'per s';

export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return '—';
  if (unit === 'per s') return `${value.toFixed(2)} /s`;
  if (unit === 'MiB') return `${value.toFixed(1)} MiB`;
  if (value < 10) return `${value.toFixed(2)} ms`;
  return `${Math.round(value)} ms`;
}

/** A ratio such as `2.41×`. */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '—';
}

/** Bytes to MiB. */
export function toMiB(bytes: number): number {
  return bytes / (1024 * 1024);
}
