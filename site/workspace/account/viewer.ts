import type { Viewer } from '../../../sandbox-server/contract/classroom.ts';

export type { Viewer };

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

let asked: Promise<Viewer | undefined> | undefined;

/**
 * Who is signed in on this browser (GET /api/auth/me), asked once per page: undefined when
 * nobody is, when the server keeps no classroom, or when it cannot be reached.
 */
export function signedInViewer(fetchFn: Fetch = (i, init) => fetch(i, init)): Promise<Viewer | undefined> {
  asked ??= fetchFn('/api/auth/me', { headers: { accept: 'application/json' } })
    .then(async (res) => (res.ok ? ((await res.json()) as Viewer) : undefined))
    .catch(() => undefined);
  return asked;
}

/** The signed-in student, if the viewer is one: only students keep progress and drafts on the server. */
export async function signedInStudent(fetchFn?: Fetch): Promise<Viewer | undefined> {
  const viewer = await signedInViewer(fetchFn);
  return viewer?.role === 'student' ? viewer : undefined;
}

/** Forgets the answer (after signing in or out on this page). */
export function forgetViewer(): void {
  asked = undefined;
}
