import type { ErrorBody, Viewer } from '../../../sandbox-server/contract/index.ts';
import { signedInViewer } from '../account/viewer.ts';

/** An API answer that was not a success: its status, the server's code and its words. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Calls the classroom API from the course's own pages (the session cookie rides along): JSON in, JSON out. */
export async function callApi<T>(path: string, opts: { method?: string; body?: unknown } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      credentials: 'same-origin',
      headers: opts.body === undefined ? {} : { 'content-type': 'application/json' },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiProblem(0, 'offline', 'The course server cannot be reached; try again in a moment.');
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => undefined)) as unknown;
  if (!res.ok) {
    const error = (data as Partial<ErrorBody> | undefined)?.error;
    throw new ApiProblem(res.status, error?.code ?? `http_${res.status}`, error?.message ?? `The server answered ${res.status}.`);
  }
  return data as T;
}

/** Who is signed in on this browser, with their classes; null when nobody is (asked once per page, shared with the sync). */
export async function whoIsSignedIn(): Promise<Viewer | null> {
  return (await signedInViewer()) ?? null;
}

/** Signs this browser out. */
export function signOut(): Promise<void> {
  return callApi<void>('/api/auth/sign-out', { method: 'POST' });
}

/** "Ada Lovelace in Docker on Tuesday": who is signed in, and their (first open) class. */
export function viewerLine(viewer: Viewer): string {
  const open = viewer.classes?.find((c) => c.closedAt === null) ?? viewer.classes?.[0];
  if (viewer.role === 'instructor') return `${viewer.displayName} (instructor)`;
  return open ? `${viewer.displayName} in class ${open.name}` : viewer.displayName;
}
