/** What went wrong with a session request, as the sessions layer knows it (http/ gives each code its status). */
export type SessionErrorCode =
  | 'too_many_sessions'
  | 'at_capacity'
  | 'sandbox_failed'
  | 'session_not_found'
  | 'unauthorized'
  | 'keep_quota_reached';

/** A session request that cannot be served: a stable code and a message for the person who asked. */
export class SessionError extends Error {
  readonly code: SessionErrorCode;
  constructor(code: SessionErrorCode, message: string) {
    super(message);
    this.name = 'SessionError';
    this.code = code;
  }
}
