import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.ts';
import { ClassroomError } from '../classroom/errors.ts';
import { hashToken, newToken } from '../classroom/tokens.ts';
import { CLAIM, LaunchClaimsSchema, type LaunchClaims } from './claims.ts';
import { findPlatform, type Platform } from './platforms.ts';

type Db = Kysely<Tables>;
const iso = (ms: number) => new Date(ms).toISOString();

/** How long a login may take between Dockyard sending it on and the platform's launch coming back. */
export const LOGIN_MS = 10 * 60_000;
/** Clock skew tolerated between the platform and Dockyard. */
const CLOCK_TOLERANCE_S = 30;

/** The third-party login a platform starts (LTI 1.3 / OIDC "login initiation"). */
export interface LoginRequest {
  iss: string;
  login_hint: string;
  target_link_uri: string;
  lti_message_hint?: string | undefined;
  client_id?: string | undefined;
  lti_deployment_id?: string | undefined;
}

/**
 * Answers a platform's login initiation: a fresh state and nonce, kept in the database (so any
 * server of the shared database can take the launch), and the platform's authorization URL to
 * send the browser to.
 */
export async function startLogin(db: Db, platforms: readonly Platform[], login: LoginRequest, redirectUri: string, now = Date.now()): Promise<URL> {
  const platform = findPlatform(platforms, login.iss, login.client_id);
  if (!platform) throw new ClassroomError('forbidden', 'lti_unknown_platform', `No LMS ${login.iss}${login.client_id ? ` with client ID ${login.client_id}` : ''} is registered with this Dockyard.`);
  if (login.lti_deployment_id !== undefined && !platform.deploymentIds.includes(login.lti_deployment_id)) {
    throw new ClassroomError('forbidden', 'lti_unknown_deployment', `Deployment ${login.lti_deployment_id} of ${login.iss} is not registered with this Dockyard.`);
  }
  const state = newToken();
  const nonce = newToken();
  await db
    .insertInto('lti_logins')
    .values({ state_hash: hashToken(state), nonce, issuer: platform.issuer, client_id: platform.clientId, created_at: iso(now), expires_at: iso(now + LOGIN_MS), used_at: null })
    .execute();
  const url = new URL(platform.authLoginUrl);
  const params: Record<string, string | undefined> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: platform.clientId,
    redirect_uri: redirectUri,
    login_hint: login.login_hint,
    lti_message_hint: login.lti_message_hint,
    state,
    nonce,
  };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url;
}

/** A launch whose id_token passed every check: who, from which platform, with what. */
export interface VerifiedLaunch {
  platform: Platform;
  claims: LaunchClaims;
}

const keySets = new Map<string, JWTVerifyGetKey>();
/** The platform's JWKS, fetched on first use and refreshed by jose when a new key id appears. */
function platformKeys(platform: Platform): JWTVerifyGetKey {
  let keys = keySets.get(platform.jwksUrl);
  if (!keys) keySets.set(platform.jwksUrl, (keys = createRemoteJWKSet(new URL(platform.jwksUrl))));
  return keys;
}

const refused = (code: string, message: string) => new ClassroomError('unauthorized', code, message);

/**
 * Verifies a launch (the form_post of `id_token` and `state`): the state is spent once, the
 * token is signed by the platform's key, is for this tool (aud, azp), is fresh (exp, iat),
 * carries the login's nonce, and is a resource link launch of LTI 1.3.0 from a registered
 * deployment. Any failure is a 401 naming the check that failed.
 */
export async function verifyLaunch(db: Db, platforms: readonly Platform[], form: { id_token: string; state: string }, now = Date.now()): Promise<VerifiedLaunch> {
  // The state is spent before anything else: whatever the token, it never serves twice.
  const login = await db
    .updateTable('lti_logins')
    .set({ used_at: iso(now) })
    .where('state_hash', '=', hashToken(form.state))
    .where('used_at', 'is', null)
    .where('expires_at', '>', iso(now))
    .returning(['issuer', 'client_id', 'nonce'])
    .executeTakeFirst();
  if (!login) throw refused('lti_bad_state', 'This launch is not valid: its login was used already, has expired, or never started here. Open Dockyard from your course again.');
  const platform = findPlatform(platforms, login.issuer, login.client_id);
  if (!platform) throw refused('lti_unknown_platform', `The LMS ${login.issuer} is no longer registered with this Dockyard.`);
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(form.id_token, platformKeys(platform), {
      issuer: platform.issuer,
      audience: platform.clientId,
      algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256'],
      requiredClaims: ['exp', 'iat', 'nonce', 'sub'],
      maxTokenAge: LOGIN_MS / 1000,
      clockTolerance: CLOCK_TOLERANCE_S,
      currentDate: new Date(now),
    }));
  } catch (err) {
    throw refused(tokenErrorCode(err), `This launch's id_token was refused: ${(err as Error).message}.`);
  }
  const aud = payload.aud;
  if (Array.isArray(aud) && aud.length > 1 && payload.azp === undefined) throw refused('lti_bad_audience', 'This launch names several audiences but no authorized party (azp).');
  if (payload.azp !== undefined && payload.azp !== platform.clientId) throw refused('lti_bad_audience', `This launch is for ${String(payload.azp)}, not this tool.`);
  if (payload.nonce !== login.nonce) throw refused('lti_bad_nonce', "This launch's nonce is not its login's: it was replayed or forged.");
  const parsed = LaunchClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw refused('lti_bad_claims', `This launch was refused: ${issue.path.join('.')}: ${issue.message}.`);
  }
  const deployment = parsed.data[CLAIM.deploymentId];
  if (!platform.deploymentIds.includes(deployment)) throw refused('lti_unknown_deployment', `Deployment ${deployment} of ${platform.issuer} is not registered with this Dockyard.`);
  return { platform, claims: parsed.data };
}

/** A stable code for why jose refused a token. */
function tokenErrorCode(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'lti_token_expired';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey) return 'lti_bad_signature';
  if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'aud') return 'lti_bad_audience';
  if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'iss') return 'lti_bad_issuer';
  if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'iat') return 'lti_token_expired';
  return 'lti_bad_token';
}

/** Removes logins that can no longer be launched. */
export async function pruneLogins(db: Db, now = Date.now()): Promise<void> {
  await db.deleteFrom('lti_logins').where('expires_at', '<=', iso(now)).execute();
}
