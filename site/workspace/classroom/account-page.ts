import { callApi, whoIsSignedIn } from './api.ts';
import { el, required, say } from './dom.ts';
import { showSignedIn } from './signed-in-view.ts';
import { copyButton } from './copy-button.ts';

/** The account page: who is signed in, sign out, and a one-time link to sign in on another device. */
export async function mountAccountPage(root: HTMLElement): Promise<void> {
  const status = required<HTMLElement>('[data-role="status"]', root);
  const who = required<HTMLElement>('[data-role="signed-in"]', root);
  const device = required<HTMLElement>('[data-role="device"]', root);
  const make = required<HTMLButtonElement>('button[data-action="device-link"]', root);
  const out = required<HTMLElement>('[data-role="device-link"]', root);
  const viewer = await whoIsSignedIn();
  if (!viewer) {
    say(status, 'You are not signed in. Self-study needs no account: your progress stays in this browser. To join a class, open the join link your instructor gave you.');
    return;
  }
  showSignedIn(who, viewer);
  device.hidden = false;
  make.addEventListener('click', async () => {
    make.disabled = true;
    try {
      const link = await callApi<{ url: string; expiresAt: string }>('/api/auth/links', { method: 'POST' });
      const input = el('input', 'dy-classroom__link');
      input.readOnly = true;
      input.value = link.url;
      input.setAttribute('aria-label', 'Sign-in link for another device');
      const until = new Date(link.expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      out.replaceChildren(
        el('p', '', `Open this link on your other device. It works once, until ${until}; then that device is signed in as you, with your progress and drafts.`),
        el('div', 'dy-classroom__copy', input, copyButton(() => input.value, 'Copy the link')),
      );
      out.hidden = false;
    } catch (err) {
      say(status, err instanceof Error ? err.message : String(err), 'error');
    } finally {
      make.disabled = false;
    }
  });
}
