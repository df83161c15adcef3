import type { VerdictView } from '../verdict-view.ts';

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

/** The check results panel: shows "Checking…", then the verdict with the first failure in focus. */
export interface VerdictPanel {
  busy(): void;
  show(view: VerdictView): void;
}

/** Lays out verdicts in `host`; Hide gives the focus back to `checkButton`. */
export function verdictPanel(host: HTMLElement, checkButton: HTMLButtonElement): VerdictPanel {
  const busy = () => {
    host.hidden = false;
    host.dataset.tone = 'busy';
    host.replaceChildren(el('p', 'dy-verdict__title', 'Checking your work…'));
  };
  const show = (view: VerdictView) => {
    host.hidden = false;
    host.dataset.tone = view.tone;
    host.replaceChildren();
    const head = el('div', 'dy-verdict__head');
    const title = el('p', 'dy-verdict__title', view.headline);
    title.tabIndex = -1;
    head.append(title);
    if (view.score) head.append(el('span', 'dy-verdict__score', view.score));
    const close = el('button', 'dy-btn dy-btn--quiet', 'Hide');
    close.type = 'button';
    close.setAttribute('aria-label', 'Hide the check results');
    close.addEventListener('click', () => {
      host.hidden = true;
      checkButton.focus();
    });
    head.append(close);
    host.append(head);
    if (view.detail) host.append(el('p', 'dy-verdict__detail', view.detail));
    const items: HTMLElement[] = [];
    if (view.items.length > 0) {
      const list = el('ul', 'dy-verdict__list');
      for (const item of view.items) {
        const li = el('li', 'dy-check');
        li.dataset.status = item.status;
        li.tabIndex = -1;
        const name = el('p', 'dy-check__name');
        name.append(el('span', 'dy-check__mark', item.passed ? '✓ Pass' : item.status === 'error' ? '! Error' : '✗ Fail'), ` ${item.name}`);
        li.append(name);
        if (item.message) li.append(el('p', 'dy-check__message', item.message));
        if (item.hint) {
          const hint = el('p', 'dy-check__hint');
          hint.append(el('strong', '', 'Hint: '), item.hint);
          li.append(hint);
        }
        if (item.output) li.append(el('pre', 'dy-check__output', item.output));
        list.append(li);
        items.push(li);
      }
      host.append(list);
    }
    const target = view.firstFailure >= 0 ? items[view.firstFailure] : title;
    target?.focus();
    target?.scrollIntoView({ block: 'nearest' });
  };
  return { busy, show };
}
