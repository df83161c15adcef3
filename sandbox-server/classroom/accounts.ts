import type { Kysely } from 'kysely';
import type { Tables, User } from '../db/tables.ts';
import { ClassroomError } from './errors.ts';
import { hashToken, newId, newToken } from './tokens.ts';

/** How long a browser stays signed in. */
export const AUTH_SESSION_MS = 30 * 24 * 60 * 60_000;
/** How long a sign-in link for another device stays good. */
export const DEVICE_LINK_MS = 15 * 60_000;
/** How long an instructor's first sign-in link (printed by a command) stays good. */
export const INSTRUCTOR_LINK_MS = 24 * 60 * 60_000;

type Db = Kysely<Tables>;
const iso = (ms: number) => new Date(ms).toISOString();

/** Creates a user of the given role. */
export async function createUser(
  db: Db,
  user: { role: User['role']; displayName: string; email?: string | null | undefined },
  now = Date.now(),
): Promise<User> {
  const row: User = { id: newId(), role: user.role, display_name: user.displayName, email: user.email ?? null, created_at: iso(now) };
  await db.insertInto('users').values(row).execute();
  return row;
}

/** The instructor with this email, made if there is none yet. */
export async function ensureInstructor(db: Db, email: string, displayName: string, now = Date.now()): Promise<User> {
  const found = await db.selectFrom('users').selectAll().where('email', '=', email).where('role', '=', 'instructor').executeTakeFirst();
  return found ?? createUser(db, { role: 'instructor', displayName, email }, now);
}

/** An institutional identity as a provider asserts it: who, at which provider, as what. */
export interface AssertedIdentity {
  /** `oidc:<issuer>` or `lti:<issuer>`. */
  provider: string;
  subject: string;
  role: User['role'];
  displayName: string;
  email?: string | null | undefined;
}

/**
 * The user an institutional identity signs in: the one it was mapped to before, or a new user
 * mapped to it now. Two servers seeing the same first sign-in at once end with one user: the
 * identity's primary key admits one mapping, and the loser reads the winner's.
 */
export async function userForIdentity(db: Db, identity: AssertedIdentity, now = Date.now()): Promise<User> {
  const mapped = async () =>
    db
      .selectFrom('identities')
      .innerJoin('users', 'users.id', 'identities.user_id')
      .selectAll('users')
      .where('identities.provider', '=', identity.provider)
      .where('identities.subject', '=', identity.subject)
      .executeTakeFirst();
  const found = await mapped();
  if (found) {
    await db.updateTable('identities').set({ last_seen_at: iso(now) }).where('provider', '=', identity.provider).where('subject', '=', identity.subject).execute();
    return found;
  }
  // An instructor is one account per email; a student's email is only a contact.
  const existing =
    identity.role === 'instructor' && identity.email
      ? await db.selectFrom('users').selectAll().where('email', '=', identity.email).where('role', '=', 'instructor').executeTakeFirst()
      : undefined;
  const user = existing ?? (await createUser(db, { role: identity.role, displayName: identity.displayName, email: identity.email }, now));
  const inserted = await db
    .insertInto('identities')
    .values({ provider: identity.provider, subject: identity.subject, user_id: user.id, created_at: iso(now), last_seen_at: iso(now) })
    .onConflict((oc) => oc.columns(['provider', 'subject']).doNothing())
    .returning('user_id')
    .executeTakeFirst();
  if (inserted) return user;
  // Another server mapped this identity first: its user is the one, and the user made here goes.
  if (!existing) await db.deleteFrom('users').where('id', '=', user.id).execute();
  const winner = await mapped();
  if (!winner) throw new Error(`identity ${identity.provider} ${identity.subject} was mapped by another server but cannot be read back`);
  return winner;
}

/** Issues a one-time sign-in link token for a user; only its hash is stored. */
export async function issueSignInLink(db: Db, userId: string, ttlMs: number, now = Date.now()): Promise<{ token: string; expiresAt: string }> {
  const token = newToken();
  const expiresAt = iso(now + ttlMs);
  await db.insertInto('sign_in_links').values({ token_hash: hashToken(token), user_id: userId, created_at: iso(now), expires_at: expiresAt, used_at: null }).execute();
  return { token, expiresAt };
}

/**
 * Spends a sign-in link: the one update that marks it used succeeds once, whichever server
 * runs it, and only before it expires. Returns the user it signs in.
 */
export async function redeemSignInLink(db: Db, token: string, now = Date.now()): Promise<User> {
  const spent = await db
    .updateTable('sign_in_links')
    .set({ used_at: iso(now) })
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', iso(now))
    .returning('user_id')
    .executeTakeFirst();
  if (!spent) throw new ClassroomError('unauthorized', 'invalid_link', 'This sign-in link is not valid: it was used already, has expired, or never existed. Ask for a new one.');
  return db.selectFrom('users').selectAll().where('id', '=', spent.user_id).executeTakeFirstOrThrow();
}

/** Starts a signed-in browser session; the token goes in the cookie, its hash in the database. */
export async function startAuthSession(db: Db, userId: string, now = Date.now()): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(now + AUTH_SESSION_MS);
  await db.insertInto('auth_sessions').values({ token_hash: hashToken(token), user_id: userId, created_at: iso(now), expires_at: expiresAt.toISOString() }).execute();
  return { token, expiresAt };
}

/** The user a session cookie's token signs in, if it is known and not expired. */
export async function userForSession(db: Db, token: string, now = Date.now()): Promise<User | undefined> {
  return db
    .selectFrom('auth_sessions')
    .innerJoin('users', 'users.id', 'auth_sessions.user_id')
    .selectAll('users')
    .where('auth_sessions.token_hash', '=', hashToken(token))
    .where('auth_sessions.expires_at', '>', iso(now))
    .executeTakeFirst();
}

/** Ends a signed-in browser session. */
export async function endAuthSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('auth_sessions').where('token_hash', '=', hashToken(token)).execute();
}

/** Removes expired browser sessions and sign-in links. */
export async function pruneExpired(db: Db, now = Date.now()): Promise<void> {
  await db.deleteFrom('auth_sessions').where('expires_at', '<=', iso(now)).execute();
  await db.deleteFrom('sign_in_links').where('expires_at', '<=', iso(now)).execute();
}
