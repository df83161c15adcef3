import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new session id: 128 random bits, URL-safe. */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/** A new bearer token: 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The SHA-256 of a token: what is stored, so a leaked label or log never holds a usable token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Whether `token` matches `expectedHash`, compared in constant time. */
export function tokenMatches(token: string, expectedHash: string): boolean {
  const got = Buffer.from(hashToken(token), 'hex');
  const want = Buffer.from(expectedHash, 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Whether `id` has the shape of a session id (so malformed ids are rejected before any lookup). */
export function isSessionId(id: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(id);
}
