import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { CheckRequestError, UnsupportedKindError } from '../checkers/errors.ts';
import { ClassroomError, type ClassroomErrorKind } from '../classroom/errors.ts';
import type { ErrorBody } from '../contract/errors.ts';
import { CalibrationError } from '../grading/calibrate.ts';
import { SessionError, type SessionErrorCode } from '../sessions/errors.ts';

/** An error meant for the client: a status, a stable code and a readable message. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(status: ContentfulStatusCode, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** Builds the JSON error body. */
export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** The status (and how long to wait before retrying) of each thing the sessions layer refuses. */
const SESSION_STATUS: Record<SessionErrorCode, { status: ContentfulStatusCode; retryAfter?: string }> = {
  too_many_sessions: { status: 429, retryAfter: '60' },
  at_capacity: { status: 503, retryAfter: '30' },
  sandbox_failed: { status: 503, retryAfter: '10' },
  session_not_found: { status: 404 },
  unauthorized: { status: 401 },
  keep_quota_reached: { status: 409 },
};

/** The API error a lower layer's error stands for (sessions, checks, grading); undefined for anything else. */
export function apiErrorOf(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof SessionError) {
    const { status, retryAfter } = SESSION_STATUS[err.code];
    return new ApiError(status, err.code, err.message, retryAfter ? { 'Retry-After': retryAfter } : {});
  }
  if (err instanceof CheckRequestError) return new ApiError(400, err.code, err.message);
  if (err instanceof UnsupportedKindError) return new ApiError(501, 'kind_not_supported', err.message);
  if (err instanceof CalibrationError) return new ApiError(503, 'check_failed', `Not grading: ${err.message}.`, { 'Retry-After': '5' });
  return undefined;
}

/** Turns any thrown value into the JSON error shape; unexpected errors are logged, not leaked. */
export function handleError(thrown: Error, c: Context): Response {
  const err = apiErrorOf(thrown) ?? thrown;
  if (err instanceof ApiError) {
    return c.json(errorBody(err.code, err.message), err.status, err.headers);
  }
  if (err instanceof ClassroomError) {
    return c.json(errorBody(err.code, err.message), CLASSROOM_STATUS[err.kind]);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return c.json(errorBody(codeForStatus(status), err.message || 'request rejected'), status);
  }
  console.error(`[dockyard] ${c.req.method} ${c.req.path} failed:`, err);
  return c.json(errorBody('internal', 'Dockyard hit an unexpected error; the server log has the details.'), 500);
}

/** The status of each kind of classroom refusal. */
export const CLASSROOM_STATUS: Record<ClassroomErrorKind, ContentfulStatusCode> = {
  not_found: 404,
  forbidden: 403,
  closed: 410,
  invalid: 400,
  unauthorized: 401,
  unavailable: 503,
};

function codeForStatus(status: number): string {
  switch (status) {
    case 400: return 'bad_request';
    case 401: return 'unauthorized';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 413: return 'payload_too_large';
    case 429: return 'too_many_requests';
    default: return status >= 500 ? 'internal' : 'bad_request';
  }
}
