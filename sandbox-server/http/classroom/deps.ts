import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import type { Verdict } from '../../contract/verdict.ts';
import type { Exercise } from '../../exercises/load.ts';
import type { OidcSignIn } from '../../classroom/oidc.ts';

/** What the classroom routes need. */
export interface ClassroomDeps {
  db: Kysely<Tables>;
  /** Bearer token of the admin API (making instructors); the admin routes answer 404 without one. */
  adminToken?: string | undefined;
  /** The origin links are made for (DOCKYARD_PUBLIC_URL); the request's own when unset. */
  publicUrl?: string | undefined;
  /** How the classroom checks a submission again (regrading a class); omitted, regrading answers 503. */
  regrade?:
    | {
        exercises: ReadonlyMap<string, Exercise>;
        check: (exercise: Exercise, files: Record<string, string>) => Promise<Verdict>;
        /** Hears of each Check a regrade records (the LMS grade passback), without holding up the answer. */
        recorded?: ((userId: string, exercise: string) => Promise<void>) | undefined;
      }
    | undefined;
  /** Page origins besides the server's own whose requests are trusted. */
  allowedOrigins?: readonly string[] | undefined;
  /** Institutional sign-in by OpenID Connect; omitted, its routes answer 404. */
  oidc?: OidcSignIn | undefined;
}

/** The page origins trusted besides the server's own: the public URL's (behind a proxy) and the allowed ones. */
export function trustedOrigins(deps: ClassroomDeps): string[] {
  return [...(deps.publicUrl ? [new URL(deps.publicUrl).origin] : []), ...(deps.allowedOrigins ?? [])];
}
