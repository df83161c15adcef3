import { el } from './dom.ts';

/** Puts text on the clipboard; false when the browser refuses (then the text stays selectable on the page). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** A button that copies `text()` and says so ("Copied"), or asks the reader to copy it by hand. */
export function copyButton(text: () => string, label: string): HTMLButtonElement {
  const button = el('button', 'dy-btn dy-btn--quiet', label);
  button.type = 'button';
  button.addEventListener('click', async () => {
    const ok = await copyText(text());
    button.textContent = ok ? 'Copied' : 'Select the link and copy it';
    setTimeout(() => (button.textContent = label), 2500);
  });
  return button;
}
