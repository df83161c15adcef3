import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A new secret token (256 bits, URL-safe): for cookies and one-time sign-in links. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A new join code (128 bits, URL-safe): a class's join link carries it. */
export function newJoinCode(): string {
  return randomBytes(16).toString('base64url');
}

/** What the database keeps of a token: its SHA-256, so a leaked table signs nobody in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new opaque row id. */
export function newId(): string {
  return randomUUID();
}
