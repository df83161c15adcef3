/** Why a classroom operation was refused; `http/` maps each kind to a status. */
export type ClassroomErrorKind = 'not_found' | 'forbidden' | 'closed' | 'invalid' | 'unauthorized' | 'unavailable';

/** A refusal the client can act on: a kind, a stable code and a readable message. */
export class ClassroomError extends Error {
  readonly kind: ClassroomErrorKind;
  readonly code: string;

  constructor(kind: ClassroomErrorKind, code: string, message: string) {
    super(message);
    this.name = 'ClassroomError';
    this.kind = kind;
    this.code = code;
  }
}
