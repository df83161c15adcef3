/** Makes an element with a class and optional text or children: the classroom views' one DOM helper. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = '',
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

/** The element a page script needs; a missing one is a page bug, said loudly. */
export function required<T extends Element>(selector: string, root: ParentNode = document): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`This page lacks ${selector}.`);
  return found;
}

/** Shows a message in a status line (role="status" or "alert" in the page), or hides it when empty. */
export function say(host: HTMLElement, message: string, tone: 'info' | 'error' | 'ok' = 'info'): void {
  host.textContent = message;
  host.dataset.tone = tone;
  host.hidden = message === '';
}
