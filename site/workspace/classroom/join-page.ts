import type { JoinClassRequest, Viewer } from '../../../sandbox-server/contract/classroom.ts';
import { ApiProblem, callApi, whoIsSignedIn } from './api.ts';
import { required, say } from './dom.ts';
import { offerInstitutionSignIn } from './institution-sign-in.ts';

/** The join code of a join link's path (/join/<code>), if the page was opened by one. */
export function joinCodeOf(pathname: string): string | undefined {
  const code = /^\/join\/([^/]+)\/?$/.exec(pathname)?.[1];
  return code ? decodeURIComponent(code) : undefined;
}

const setHeading = (text: string) => {
  const h1 = document.querySelector('h1');
  if (h1) h1.textContent = text;
  document.title = `${text} | Dockyard`;
};

/** The join page: the class the link joins, the form (name, and email where the class asks); joined, the course. */
export async function mountJoinPage(root: HTMLElement): Promise<void> {
  const status = required<HTMLElement>('[data-role="status"]', root);
  const form = required<HTMLFormElement>('form[data-role="join"]', root);
  const emailField = required<HTMLElement>('[data-role="email-field"]', root);
  const email = required<HTMLInputElement>('input[name="email"]', root);
  const name = required<HTMLInputElement>('input[name="displayName"]', root);
  const code = joinCodeOf(location.pathname);
  if (!code) {
    setHeading('Join a class');
    say(status, 'Open the join link your instructor gave you: it leads to your class\'s page here.');
    return;
  }
  let joining: { name: string; requireEmail: boolean };
  let viewer: Viewer | null;
  try {
    [joining, viewer] = await Promise.all([callApi<{ name: string; requireEmail: boolean }>(`/api/join/${encodeURIComponent(code)}`), whoIsSignedIn()]);
  } catch (err) {
    setHeading('Cannot join');
    say(status, err instanceof Error ? err.message : String(err), 'error');
    return;
  }
  setHeading(`Join ${joining.name}`);
  emailField.hidden = !joining.requireEmail;
  email.required = joining.requireEmail;
  if (viewer?.role === 'student') {
    name.value = viewer.displayName;
    if (viewer.email) email.value = viewer.email;
    say(status, `You are signed in as ${viewer.displayName}: joining adds this class to your account.`);
  } else if (!viewer) {
    // Signed in by the institution first, the student joins as their institutional self, and comes back here.
    await offerInstitutionSignIn(required<HTMLAnchorElement>('a[data-role="institution"]', root), location.pathname);
  }
  form.hidden = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    const body: JoinClassRequest = { displayName: name.value };
    if (email.value.trim() !== '') body.email = email.value.trim();
    try {
      await callApi(`/api/join/${encodeURIComponent(code)}`, { method: 'POST', body });
      // Signed in: on to the course, whose header says who and in which class.
      location.assign('/');
    } catch (err) {
      say(status, err instanceof ApiProblem || err instanceof Error ? err.message : String(err), 'error');
      if (submit) submit.disabled = false;
    }
  });
}
