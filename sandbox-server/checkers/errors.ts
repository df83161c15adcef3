/** Raised for an exercise kind whose checker this service does not run yet. */
export class UnsupportedKindError extends Error {
  readonly kind: string;
  constructor(kind: string) {
    super(`exercises of kind ${kind} cannot be checked by this version of Dockyard`);
    this.name = 'UnsupportedKindError';
    this.kind = kind;
  }
}

/** A check or run asked in a way this exercise cannot serve: a stable code and a message for the student. */
export class CheckRequestError extends Error {
  readonly code: 'invalid_request' | 'invalid_files' | 'run_not_supported';
  constructor(code: CheckRequestError['code'], message: string) {
    super(message);
    this.name = 'CheckRequestError';
    this.code = code;
  }
}
