import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';

/** What the classroom routes need. */
export interface ClassroomDeps {
  db: Kysely<Tables>;
  /** Bearer token of the admin API (making instructors); the admin routes answer 404 without one. */
  adminToken?: string | undefined;
  /** The origin links are made for (DOCKYARD_PUBLIC_URL); the request's own when unset. */
  publicUrl?: string | undefined;
  /** Page origins besides the server's own whose requests are trusted. */
  allowedOrigins?: readonly string[] | undefined;
}
