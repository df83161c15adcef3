import type { CheckRequest } from '../../../sandbox-server/contract/verdict.ts';
import type { DraftStore } from '../drafts.ts';
import type { StoredSession } from '../session-client.ts';
import { checkOutcomeOf, type CheckOutcome } from '../verdict-view.ts';

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** What a Check needs: the exercise, the drafts, and for a terminal exercise the live session it inspects. */
export interface CheckInput {
  slug: string;
  kind: string;
  drafts: Pick<DraftStore, 'submission'>;
  /** The module's docker session (terminal exercises only). */
  session: StoredSession | undefined;
}

/** Asks the server to check the exercise: the drafts, or for a terminal exercise the live sandbox. */
export async function requestCheck(input: CheckInput, fetchFn: Fetch = (i, init) => fetch(i, init)): Promise<CheckOutcome> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  let body: CheckRequest;
  if (input.kind === 'terminal') {
    if (!input.session) {
      return { kind: 'http-error', status: 409, code: 'no_session', message: 'Your sandbox has not started yet: wait until the terminal says Ready, then check again.' };
    }
    body = { sessionId: input.session.id };
    headers.authorization = `Bearer ${input.session.token}`;
  } else {
    body = { files: input.drafts.submission() };
  }
  try {
    const res = await fetchFn(`/api/exercises/${encodeURIComponent(input.slug)}/check`, { method: 'POST', headers, body: JSON.stringify(body) });
    return await checkOutcomeOf(res);
  } catch (err) {
    return { kind: 'network', message: `The server did not answer (${(err as Error).message}).` };
  }
}
