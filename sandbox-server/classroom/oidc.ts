import * as client from 'openid-client';
import type { AssertedIdentity } from './accounts.ts';
import { ClassroomError } from './errors.ts';

/** How long a sign-in begun at the provider may take to come back. */
export const OIDC_LOGIN_MS = 10 * 60_000;

/** What Dockyard knows of its OpenID provider (DOCKYARD_OIDC_*). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The institution as the sign-in button names it. */
  name: string;
  /** Emails (lower case) whose provider-verified holders are instructors. */
  instructorEmails: readonly string[];
}

/** A sign-in under way: what the callback must see again. Kept by the browser in a signed cookie. */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** A same-site path to land on afterwards. */
  returnTo?: string | undefined;
  /** Epoch ms after which the callback refuses it. */
  expiresAt: number;
}

/**
 * OpenID Connect sign-in (authorization code flow with PKCE, state and nonce) with one
 * provider, through openid-client: discovery, the token exchange, and the ID token's
 * signature (checked against the provider's JWKS), issuer, audience, expiry and nonce.
 */
export class OidcSignIn {
  readonly settings: OidcSettings;
  /** The identities table's provider name: `oidc:<issuer>`. */
  readonly provider: string;
  #config: Promise<client.Configuration> | undefined;

  constructor(settings: OidcSettings) {
    this.settings = settings;
    this.provider = `oidc:${settings.issuer}`;
  }

  /** The provider's metadata, discovered once; a failed discovery is tried again on the next sign-in. */
  configuration(): Promise<client.Configuration> {
    this.#config ??= this.#discover().catch((err: unknown) => {
      this.#config = undefined;
      throw unavailable(err);
    });
    return this.#config;
  }

  async #discover(): Promise<client.Configuration> {
    const issuer = new URL(this.settings.issuer);
    // Plain http is accepted by the configuration only on loopback (a provider on the same machine).
    const execute = issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [];
    const config = await client.discovery(issuer, this.settings.clientId, this.settings.clientSecret, undefined, { execute, timeout: 10 });
    // The ID token arrives over the back channel; its signature is checked against the JWKS all the same.
    client.enableNonRepudiationChecks(config);
    return config;
  }

  /** Where to send the browser to sign in, and what its callback must bring back. */
  async begin(redirectUri: string, returnTo: string | undefined, now = Date.now()): Promise<{ url: URL; pending: PendingLogin }> {
    const config = await this.configuration();
    const pending: PendingLogin = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      returnTo,
      expiresAt: now + OIDC_LOGIN_MS,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, pending };
  }

  /**
   * Completes a sign-in from the provider's redirect to `callbackUrl`: the state must be this
   * browser's, the code is exchanged (with the PKCE verifier), and the ID token must be signed
   * by the provider, for this client, unexpired, and carry this sign-in's nonce.
   */
  async finish(callbackUrl: URL, pending: PendingLogin | undefined, now = Date.now()): Promise<AssertedIdentity> {
    if (!pending || pending.expiresAt <= now) {
      throw new ClassroomError('invalid', 'oidc_no_login', 'This sign-in was not started in this browser or took longer than 10 minutes; start it again.');
    }
    const state = callbackUrl.searchParams.get('state');
    if (state !== pending.state) {
      throw new ClassroomError('invalid', 'oidc_state_mismatch', 'This sign-in answer belongs to another sign-in (its state does not match this browser\'s); start it again.');
    }
    const config = await this.configuration();
    let claims: client.IDToken | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (err) {
      throw refusal(err);
    }
    if (!claims) throw new ClassroomError('unauthorized', 'oidc_rejected', 'The provider sent no ID token.');
    return this.identity(claims);
  }

  /** Who the ID token says signed in, as the classroom maps identities. */
  identity(claims: client.IDToken): AssertedIdentity {
    const email = typeof claims.email === 'string' && claims.email.length <= 320 ? claims.email : undefined;
    const verified = claims.email_verified === true;
    const role = email && verified && this.settings.instructorEmails.includes(email.toLowerCase()) ? 'instructor' : 'student';
    const named = [claims.name, claims.preferred_username, email].find((v): v is string => typeof v === 'string' && v.trim() !== '');
    return { provider: this.provider, subject: claims.sub, role, displayName: (named ?? 'Student').trim().slice(0, 100), email: verified ? email : undefined };
  }
}

function unavailable(err: unknown): ClassroomError {
  const why = err instanceof Error ? err.message : String(err);
  return new ClassroomError('unavailable', 'oidc_unavailable', `The institution's sign-in service cannot be reached (${why}); try again in a moment.`);
}

/** What a failed code exchange or ID token check tells the student. */
function refusal(err: unknown): ClassroomError {
  if (err instanceof client.AuthorizationResponseError) {
    return new ClassroomError('unauthorized', 'oidc_denied', `The institution did not sign you in: ${err.error_description ?? err.error}.`);
  }
  if (err instanceof client.ResponseBodyError) {
    return new ClassroomError('unauthorized', 'oidc_code_rejected', `The institution refused this sign-in's code (${err.error}): it was used already or has expired; start again.`);
  }
  if (err instanceof client.ClientError) {
    if (err.code === 'OAUTH_TIMEOUT' || err.code === 'OAUTH_ABORT') return unavailable(err);
    const detail = err.cause instanceof Error ? err.cause.message : err.message;
    return new ClassroomError('unauthorized', 'oidc_id_token_invalid', `The institution's answer did not pass Dockyard's checks (${detail}); start again.`);
  }
  if (err instanceof TypeError) return unavailable(err);
  throw err;
}
