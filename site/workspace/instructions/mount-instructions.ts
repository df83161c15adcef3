import { browserStorage, createProgressStore, hintsShown, PROGRESS_EVENT } from '../progress/store.ts';
import { HintSteps } from './hints.ts';

/** Where the workspace remembers that the student folded the instructions away. */
export const COLLAPSED_KEY = 'dockyard:instructions:collapsed';

/** Folds and unfolds the instructions panel with its heading's button; the choice is kept for the next page. */
function mountCollapse(root: HTMLElement): void {
  const toggle = root.querySelector<HTMLButtonElement>('[data-action="toggle-instructions"]');
  const body = root.querySelector<HTMLElement>('.dy-instructions__body');
  if (!toggle || !body || root.dataset.collapsible !== 'true') return;
  const storage = browserStorage();
  const set = (open: boolean) => {
    toggle.setAttribute('aria-expanded', String(open));
    body.hidden = !open;
    root.dataset.open = String(open);
  };
  set(storage?.getItem(COLLAPSED_KEY) !== '1');
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    set(open);
    try {
      storage?.setItem(COLLAPSED_KEY, open ? '0' : '1');
    } catch {
      // Storage refused: the panel still folds for this page.
    }
  });
  // "Read the instructions" links from the lesson open the panel.
  const open = () => {
    if (location.hash === `#${root.id}`) set(true);
  };
  addEventListener('hashchange', open);
  open();
}

/** Reveals the exercise's hints one at a time with its button; the count is kept with the exercise's progress. */
function mountHints(root: HTMLElement): void {
  const hints = root.querySelector<HTMLElement>('.dy-hints');
  const button = hints?.querySelector<HTMLButtonElement>('[data-action="hint"]');
  const note = hints?.querySelector<HTMLElement>('.dy-hints__done');
  const slug = hints?.dataset.exercise;
  if (!hints || !button || !slug) return;
  const items = [...hints.querySelectorAll<HTMLElement>('.dy-hint')];
  const store = createProgressStore(browserStorage(), {
    onChange: (progress) => window.dispatchEvent(new CustomEvent(PROGRESS_EVENT, { detail: progress })),
  });
  const steps = new HintSteps(items.length, hintsShown(store.read(), slug));
  const draw = () => {
    items.forEach((item, i) => (item.hidden = i >= steps.shown));
    const label = steps.label();
    button.hidden = label === undefined;
    if (label) button.textContent = label;
    if (note) note.hidden = !steps.done;
  };
  draw();
  button.addEventListener('click', () => {
    const index = steps.next();
    if (index === undefined) return;
    store.recordHints(slug, steps.shown);
    draw();
    const item = items[index];
    item?.focus();
    if (steps.done) note?.setAttribute('role', 'status');
  });
  hints.dataset.ready = 'true';
}

/** Brings every instructions panel on the page to life. */
export function mountInstructions(): void {
  for (const root of document.querySelectorAll<HTMLElement>('.dy-instructions')) {
    mountCollapse(root);
    mountHints(root);
  }
}
