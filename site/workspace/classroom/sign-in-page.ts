import { ApiProblem, callApi, whoIsSignedIn } from './api.ts';
import { required, say } from './dom.ts';
import type { Viewer } from '../../../sandbox-server/contract/classroom.ts';
import { nextStep, showSignedIn } from './signed-in-view.ts';
import { offerInstitutionSignIn } from './institution-sign-in.ts';

/**
 * The sign-in page a one-time link opens: one button spends the link, then on to the course or the
 * instructor's classes. Without a link, the institution's sign-in (back to `?returnTo=`) where there is one.
 */
export async function mountSignInPage(root: HTMLElement): Promise<void> {
  const status = required<HTMLElement>('[data-role="status"]', root);
  const form = required<HTMLFormElement>('form[data-role="sign-in"]', root);
  const done = required<HTMLElement>('[data-role="signed-in"]', root);
  const token = new URLSearchParams(location.search).get('token');
  const heading = document.querySelector('h1');
  if (!token) {
    const viewer = await whoIsSignedIn();
    if (viewer) return showSignedIn(done, viewer);
    const institution = required<HTMLAnchorElement>('a[data-role="institution"]', root);
    if (await offerInstitutionSignIn(institution, new URLSearchParams(location.search).get('returnTo'))) {
      say(status, 'Sign in with your institution\'s account, or open a one-time link you were given (an instructor gets one from npm run instructor:new; a student asks for one on their account page on another device).');
      return;
    }
    say(status, 'Open the one-time link you were given (an instructor gets one from npm run instructor:new; a student asks for one on their account page on another device).');
    return;
  }
  form.hidden = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    try {
      const viewer = await callApi<Viewer>('/api/auth/sign-in', { method: 'POST', body: { token } });
      // The link is spent: out of the address bar and the history. The next page starts
      // signed in (a student's progress and drafts merge with the server there).
      history.replaceState(null, '', location.pathname);
      location.assign(nextStep(viewer).href);
    } catch (err) {
      form.hidden = true;
      if (heading) heading.textContent = 'Cannot sign in';
      say(status, err instanceof ApiProblem || err instanceof Error ? err.message : String(err), 'error');
    }
  });
}
