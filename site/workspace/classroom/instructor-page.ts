import type { ClassSummary, CreateClassRequest } from '../../../sandbox-server/contract/classroom.ts';
import { callApi } from './api.ts';
import { copyButton } from './copy-button.ts';
import { el, required, say } from './dom.ts';
import { signedInInstructor } from './instructor-gate.ts';
import { showSignedIn } from './signed-in-view.ts';

const day = (iso: string) => new Date(iso).toLocaleDateString([], { day: 'numeric', month: 'short', year: 'numeric' });

/** A class's join link, read-only with its Copy button. */
export function joinLinkField(row: ClassSummary): HTMLElement {
  const input = el('input', 'dy-classroom__link');
  input.readOnly = true;
  input.value = row.joinUrl;
  input.setAttribute('aria-label', `Join link of ${row.name}`);
  input.addEventListener('focus', () => input.select());
  return el('div', 'dy-classroom__copy', input, copyButton(() => input.value, 'Copy join link'));
}

/** One class in the list: its name and state, its join link, Open and Close. */
function classCard(row: ClassSummary, onClose: (row: ClassSummary) => void): HTMLElement {
  const open = el('a', 'dy-btn', 'Open the class');
  open.href = `/instructor/class/?id=${encodeURIComponent(row.id)}`;
  const state = row.closedAt ? `Closed on ${day(row.closedAt)}: its join link is refused.` : `Open since ${day(row.createdAt)}${row.requireEmail ? ', asks students for their email' : ''}.`;
  const card = el('li', 'dy-classroom__card', el('h3', '', row.name), el('p', 'dy-classroom__state', state));
  card.dataset.classId = row.id;
  card.setAttribute('aria-label', row.name);
  if (!row.closedAt) card.append(joinLinkField(row));
  const actions = el('p', 'dy-classroom__actions', open);
  if (!row.closedAt) {
    const close = el('button', 'dy-btn dy-btn--quiet', 'Close the class');
    close.type = 'button';
    close.addEventListener('click', () => {
      if (confirm(`Close "${row.name}"? Its join link will be refused from then on; its students and records stay.`)) onClose(row);
    });
    actions.append(' ', close);
  }
  card.append(actions);
  return card;
}

/** The instructor's page: their classes, a form to create one, each class's join link, Open and Close. */
export async function mountInstructorPage(root: HTMLElement): Promise<void> {
  const status = required<HTMLElement>('[data-role="status"]', root);
  const who = required<HTMLElement>('[data-role="signed-in"]', root);
  const main = required<HTMLElement>('[data-role="classes"]', root);
  const list = required<HTMLUListElement>('ul[data-role="class-list"]', root);
  const form = required<HTMLFormElement>('form[data-role="create-class"]', root);
  const viewer = await signedInInstructor(status);
  if (!viewer) return;
  showSignedIn(who, viewer);
  main.hidden = false;

  const draw = async () => {
    try {
      const classes = await callApi<ClassSummary[]>('/api/classes');
      list.replaceChildren(...classes.map((row) => classCard(row, close)));
      if (classes.length === 0) list.append(el('li', 'dy-classroom__empty', 'No classes yet: create the first one above.'));
    } catch (err) {
      say(status, err instanceof Error ? err.message : String(err), 'error');
    }
  };
  const close = async (row: ClassSummary) => {
    try {
      await callApi(`/api/classes/${encodeURIComponent(row.id)}/close`, { method: 'POST' });
      say(status, `"${row.name}" is closed.`, 'ok');
    } catch (err) {
      say(status, err instanceof Error ? err.message : String(err), 'error');
    }
    await draw();
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body: CreateClassRequest = { name: String(data.get('name') ?? ''), requireEmail: data.get('requireEmail') === 'on' };
    try {
      const made = await callApi<ClassSummary>('/api/classes', { method: 'POST', body });
      form.reset();
      say(status, `"${made.name}" is ready: send your students its join link.`, 'ok');
      await draw();
      list.querySelector<HTMLInputElement>(`[data-class-id="${CSS.escape(made.id)}"] input`)?.focus();
    } catch (err) {
      say(status, err instanceof Error ? err.message : String(err), 'error');
    }
  });
  await draw();
}
