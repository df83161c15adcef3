/** Where the split between lesson text and workspace is remembered. */
export const SPLIT_KEY = 'dockyard:layout:split';
/** The text column's share of the width, in percent: default and bounds. */
export const SPLIT = { initial: 50, min: 30, max: 70, step: 2 } as const;

/** A split percentage kept within bounds; anything unreadable is the default. */
export function clampSplit(value: unknown): number {
  const n = typeof value === 'number' ? value : Number.parseFloat(String(value));
  if (!Number.isFinite(n)) return SPLIT.initial;
  return Math.min(SPLIT.max, Math.max(SPLIT.min, Math.round(n * 10) / 10));
}

/** The split after a key press on the separator, or undefined for keys it ignores. */
export function splitAfterKey(current: number, key: string): number | undefined {
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return clampSplit(current - SPLIT.step);
    case 'ArrowRight':
    case 'ArrowUp':
      return clampSplit(current + SPLIT.step);
    case 'Home':
      return SPLIT.min;
    case 'End':
      return SPLIT.max;
    case 'Enter':
      return SPLIT.initial;
    default:
      return undefined;
  }
}

/** Makes the separator between lesson and workspace draggable and keyboard operable. */
export function mountSplitter(separator: HTMLElement): void {
  const layout = separator.parentElement;
  if (!layout) return;
  const root = document.documentElement;
  const read = () => clampSplit(root.style.getPropertyValue('--dy-split') || separator.getAttribute('aria-valuenow'));
  const apply = (value: number, save: boolean) => {
    root.style.setProperty('--dy-split', `${value}%`);
    separator.setAttribute('aria-valuenow', String(Math.round(value)));
    separator.setAttribute('aria-valuetext', `Lesson ${Math.round(value)}%, workspace ${Math.round(100 - value)}%`);
    if (save) {
      try {
        localStorage.setItem(SPLIT_KEY, String(value));
      } catch {
        // Not remembered, still applied.
      }
    }
  };
  apply(read(), false);
  separator.addEventListener('keydown', (e) => {
    const next = splitAfterKey(read(), e.key);
    if (next === undefined) return;
    e.preventDefault();
    apply(next, true);
  });
  separator.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    e.preventDefault();
    separator.setPointerCapture(e.pointerId);
    layout.dataset.resizing = 'true';
    const box = layout.getBoundingClientRect();
    const move = (ev: PointerEvent) => apply(clampSplit(((ev.clientX - box.left) / box.width) * 100), false);
    const up = (ev: PointerEvent) => {
      separator.releasePointerCapture(ev.pointerId);
      separator.removeEventListener('pointermove', move);
      separator.removeEventListener('pointerup', up);
      delete layout.dataset.resizing;
      apply(read(), true);
    };
    separator.addEventListener('pointermove', move);
    separator.addEventListener('pointerup', up);
  });
}
