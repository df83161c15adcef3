import type { Viewer } from '../../../sandbox-server/contract/classroom.ts';
import { handOverBeforeSignOut } from '../sync/page-sync.ts';
import { signOut, viewerLine } from './api.ts';
import { el } from './dom.ts';

/** Fired on `window` when this page signs the browser in or out (detail: the viewer, or null), so the header can redraw. */
export const ACCOUNT_EVENT = 'dockyard:account';

/** Where a signed-in user goes next: an instructor to their classes, a student to the course. */
export function nextStep(viewer: Viewer): { href: string; label: string } {
  return viewer.role === 'instructor' ? { href: '/instructor/', label: 'Open your classes' } : { href: '/', label: 'Continue the course' };
}

/** Shows "Signed in as … in class …" in `host`, with the next step and a Sign out button. */
export function showSignedIn(host: HTMLElement, viewer: Viewer): void {
  const next = nextStep(viewer);
  const out = el('button', 'dy-btn dy-btn--quiet', 'Sign out');
  out.type = 'button';
  out.addEventListener('click', async () => {
    out.disabled = true;
    await handOverBeforeSignOut();
    await signOut().catch(() => undefined);
    window.dispatchEvent(new CustomEvent(ACCOUNT_EVENT, { detail: null }));
    location.assign('/');
  });
  const actions = el('p', 'dy-classroom__actions', out);
  // The next step, unless this page is it.
  if (location.pathname !== next.href) {
    const link = el('a', 'dy-btn', next.label);
    link.href = next.href;
    actions.prepend(link, ' ');
  }
  host.replaceChildren(el('p', 'dy-classroom__who', 'Signed in as ', el('strong', '', viewerLine(viewer)), '.'), actions);
  host.hidden = false;
  window.dispatchEvent(new CustomEvent(ACCOUNT_EVENT, { detail: viewer }));
}
