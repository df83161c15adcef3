import { describeHeld, type HeldSession } from './held-sessions.ts';

/**
 * Shows a student at the per-visitor sandbox cap the sandboxes this browser holds, each with
 * an End button, in the terminal's pane. Resolves once one was ended, "Try again" was pressed,
 * or `retryAfterMs` passed (another sandbox may have ended by then): the caller asks again.
 */
export function offerCapChoice(
  pane: HTMLElement,
  held: readonly HeldSession[],
  options: { retryAfterMs: number; end(held: HeldSession): Promise<boolean> },
): Promise<void> {
  pane.querySelector('.dy-cap')?.remove();
  const box = document.createElement('div');
  box.className = 'dy-cap';
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', 'Your other sandboxes');
  const text = document.createElement('p');
  text.className = 'dy-cap__text';
  box.append(text);
  pane.prepend(box);

  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      box.remove();
      resolve();
    };
    const timer = setTimeout(done, options.retryAfterMs);
    if (held.length === 0) {
      text.textContent =
        'Other browsers at your address hold every sandbox one visitor may have at once. This one starts as soon as one of them ends.';
    } else {
      text.textContent = `This browser already holds ${held.length === 1 ? 'a sandbox' : `${held.length} sandboxes`}, the most one visitor may have at once. End one to start this one; what it holds is removed with it.`;
      const list = document.createElement('ul');
      list.className = 'dy-cap__list';
      for (const h of held) {
        const item = document.createElement('li');
        const name = document.createElement('span');
        name.textContent = describeHeld(h);
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'dy-btn';
        button.textContent = 'End it';
        button.setAttribute('aria-label', `End the sandbox ${describeHeld(h)}`);
        button.addEventListener('click', async () => {
          button.disabled = true;
          button.textContent = 'Ending…';
          if (await options.end(h).catch(() => false)) return done();
          button.disabled = false;
          button.textContent = 'End it';
        });
        item.append(name, button);
        list.append(item);
      }
      box.append(list);
    }
    const again = document.createElement('button');
    again.type = 'button';
    again.className = 'dy-btn';
    again.textContent = 'Try again';
    again.addEventListener('click', done);
    box.append(again);
  });
}
