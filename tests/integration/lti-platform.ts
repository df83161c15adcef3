import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JSONWebKeySet, type JWTPayload } from 'jose';
import { CLAIM, LINEITEM_SCOPE, SCORE_SCOPE } from '../../sandbox-server/lti/claims.ts';
import type { Platform } from '../../sandbox-server/lti/platforms.ts';

/** The form a platform's authorization answer posts: its hidden id_token and state. */
export function postedForm(html: string): { action: string; id_token: string; state: string } {
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
  return { action: /action="([^"]*)"/.exec(html)?.[1] ?? '', id_token: field('id_token'), state: field('state') };
}

/** A person in the simulated LMS. */
export interface PlatformUser {
  sub: string;
  name: string;
  email?: string;
  roles: string[];
}

/** A resource link in a course of the simulated LMS: which course, which exercise, which line item. */
export interface PlatformLink {
  id: string;
  context: { id: string; title: string };
  custom?: Record<string, string>;
  lineitem?: string;
  /** The course's line items container, for a link that is not an assignment (no line item of its own). */
  lineitems?: string;
  targetLinkUri: string;
}

export const ROLE = {
  instructor: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
  learner: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
  institutionInstructor: 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor',
};

/** A score as the platform's AGS score endpoint received it. */
export interface ReceivedScore {
  lineitem: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

/**
 * An LMS simulated over real HTTP on loopback: its JWKS, an OIDC authorization endpoint that
 * answers a login with an auto-posting form carrying a signed id_token (as Canvas and Moodle do),
 * an OAuth2 token endpoint that verifies the tool's signed client assertion against the tool's
 * JWKS, and AGS score endpoints that record what they receive.
 */
export class SimulatedPlatform {
  readonly clientId = 'dockyard-client-7';
  readonly deploymentId = 'deployment-1';
  readonly kid = 'platform-key-1';
  users = new Map<string, PlatformUser>();
  links = new Map<string, PlatformLink>();
  scores: ReceivedScore[] = [];
  tokenRequests: JWTPayload[] = [];
  /** Line items the tool made in the course's container. */
  lineItems: Record<string, unknown>[] = [];
  /** Answer score posts with this status instead of 200 (a platform that is down). */
  failScores: number | undefined;
  private server!: ServerType;
  private privateKey!: CryptoKey;
  private publicJwks!: JSONWebKeySet;
  private issued = new Map<string, string[]>();
  origin = '';

  private readonly toolJwks: () => Promise<JSONWebKeySet>;
  private readonly redirectUri: string;

  constructor(toolJwks: () => Promise<JSONWebKeySet>, redirectUri: string) {
    this.toolJwks = toolJwks;
    this.redirectUri = redirectUri;
  }

  get issuer(): string {
    return this.origin;
  }

  /** The registration an operator writes for this platform. */
  registration(): Platform {
    return {
      issuer: this.issuer,
      clientId: this.clientId,
      deploymentIds: [this.deploymentId],
      authLoginUrl: `${this.origin}/auth`,
      tokenUrl: `${this.origin}/token`,
      jwksUrl: `${this.origin}/jwks`,
    };
  }

  async start(): Promise<void> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    this.privateKey = privateKey;
    this.publicJwks = { keys: [{ ...(await exportJWK(publicKey)), kid: this.kid, alg: 'RS256', use: 'sig' }] };
    const app = new Hono();
    app.get('/jwks', (c) => c.json(this.publicJwks));
    app.get('/auth', async (c) => {
      const q = c.req.query();
      if (q.client_id !== this.clientId || q.redirect_uri !== this.redirectUri || q.response_mode !== 'form_post' || q.scope !== 'openid' || !q.nonce || !q.state) {
        return c.text('bad authorization request', 400);
      }
      const user = this.users.get(q.login_hint ?? '');
      const link = this.links.get(q.lti_message_hint ?? '');
      if (!user || !link) return c.text('unknown login hint or message hint', 400);
      const idToken = await this.sign(this.launchClaims(user, link, q.nonce));
      return c.html(
        `<form method="post" action="${q.redirect_uri}"><input type="hidden" name="id_token" value="${idToken}"><input type="hidden" name="state" value="${q.state}"></form><script>document.forms[0].submit()</script>`,
      );
    });
    app.post('/token', async (c) => {
      const form = await c.req.parseBody();
      if (form.grant_type !== 'client_credentials' || form.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
        return c.json({ error: 'unsupported_grant_type' }, 400);
      }
      try {
        const { payload } = await jwtVerify(String(form.client_assertion), createLocalJWKSet(await this.toolJwks()), {
          issuer: this.clientId,
          subject: this.clientId,
          audience: `${this.origin}/token`,
          requiredClaims: ['jti', 'exp', 'iat'],
        });
        if (this.tokenRequests.some((p) => p.jti === payload.jti)) return c.json({ error: 'invalid_client', error_description: 'jti reused' }, 401);
        this.tokenRequests.push(payload);
      } catch (err) {
        return c.json({ error: 'invalid_client', error_description: (err as Error).message }, 401);
      }
      const scope = String(form.scope ?? '');
      if (!scope.split(' ').includes(SCORE_SCOPE)) return c.json({ error: 'invalid_scope' }, 400);
      const token = `at-${this.tokenRequests.length}-${Math.random().toString(36).slice(2)}`;
      this.issued.set(token, scope.split(' '));
      return c.json({ access_token: token, token_type: 'Bearer', expires_in: 3600, scope });
    });
    app.post('/lineitems/:id/lineitem/scores', async (c) => {
      const token = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
      if (!token || !this.issued.get(token)?.includes(SCORE_SCOPE)) return c.json({ error: 'invalid_token' }, 401);
      if (this.failScores) return c.json({ error: 'unavailable' }, this.failScores as 503);
      const lineitem = `${this.origin}/lineitems/${c.req.param('id')}/lineitem${new URL(c.req.url).search}`;
      this.scores.push({ lineitem, contentType: c.req.header('content-type'), body: await c.req.json() });
      return c.json({}, 200);
    });
    const lineItemsToken = (c: { req: { header(name: string): string | undefined } }) => {
      const token = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
      return token !== undefined && this.issued.get(token)?.includes(LINEITEM_SCOPE) === true;
    };
    app.get('/courses/:course/lineitems', (c) => {
      if (!lineItemsToken(c)) return c.json({ error: 'invalid_token' }, 401);
      const { resource_id, resource_link_id } = c.req.query();
      const found = this.lineItems.filter((i) => (!resource_id || i.resourceId === resource_id) && (!resource_link_id || i.resourceLinkId === resource_link_id));
      return c.json(found, 200, { 'content-type': 'application/vnd.ims.lis.v2.lineitemcontainer+json' });
    });
    app.post('/courses/:course/lineitems', async (c) => {
      if (!lineItemsToken(c)) return c.json({ error: 'invalid_token' }, 401);
      if (c.req.header('content-type') !== 'application/vnd.ims.lis.v2.lineitem+json') return c.json({ error: 'unsupported_media_type' }, 415);
      const item = { ...(await c.req.json()), id: `${this.origin}/lineitems/${100 + this.lineItems.length}/lineitem` };
      this.lineItems.push(item);
      return c.json(item, 201);
    });
    await new Promise<void>((done) => {
      this.server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        this.origin = `http://127.0.0.1:${info.port}`;
        done();
      });
    });
  }

  stop(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }

  /** The id_token claims of a resource link launch, as the platform signs them. */
  launchClaims(user: PlatformUser, link: PlatformLink, nonce: string, now = Date.now()): JWTPayload {
    return {
      iss: this.issuer,
      aud: this.clientId,
      sub: user.sub,
      iat: Math.floor(now / 1000),
      exp: Math.floor(now / 1000) + 300,
      nonce,
      name: user.name,
      ...(user.email ? { email: user.email } : {}),
      [CLAIM.messageType]: 'LtiResourceLinkRequest',
      [CLAIM.version]: '1.3.0',
      [CLAIM.deploymentId]: this.deploymentId,
      [CLAIM.targetLinkUri]: link.targetLinkUri,
      [CLAIM.resourceLink]: { id: link.id },
      [CLAIM.roles]: user.roles,
      [CLAIM.context]: link.context,
      ...(link.custom ? { [CLAIM.custom]: link.custom } : {}),
      ...(link.lineitem
        ? { [CLAIM.agsEndpoint]: { scope: [SCORE_SCOPE, 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly'], lineitem: link.lineitem } }
        : link.lineitems
          ? { [CLAIM.agsEndpoint]: { scope: [SCORE_SCOPE, LINEITEM_SCOPE], lineitems: link.lineitems } }
          : {}),
    };
  }

  /** Signs claims as the platform does, or with another key (a forgery). */
  async sign(claims: JWTPayload, key: CryptoKey = this.privateKey): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' }).sign(key);
  }
}
