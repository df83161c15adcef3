import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

/** What an account at the test provider says about itself (beyond `sub`, its login). */
export interface AccountClaims {
  name?: string;
  email?: string;
  email_verified?: boolean;
}

/** A real OpenID provider (panva's oidc-provider) on loopback, with its own login and consent pages. */
export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Claims per login; a login not listed gets a name and a verified email made from it. */
  accounts: Map<string, AccountClaims>;
  /** Rewrites the next token responses' ID token (an attacker on the back channel); undefined leaves them alone. */
  tamperIdToken: ((idToken: string) => string) | undefined;
  close(): Promise<void>;
}

/**
 * Starts an OpenID provider on 127.0.0.1 that knows one confidential client (authorization
 * code with PKCE) allowed to come back to `redirectUris`. It signs ID tokens with an RS256 key
 * made here and serves discovery and its JWKS like any provider; its login page takes any login.
 * `port` 0 picks a free one.
 */
export async function startTestProvider(redirectUris: string[], port = 0): Promise<TestProvider> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signing = { ...(await exportJWK(privateKey)), kid: 'test-signing-key', use: 'sig', alg: 'RS256' };

  const test: TestProvider = {
    issuer,
    clientId: 'dockyard-test',
    clientSecret: 'a-client-secret-of-the-test-provider',
    accounts: new Map(),
    tamperIdToken: undefined,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: test.clientId,
        client_secret: test.clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [signing] },
    cookies: { keys: ['a-cookie-key-of-the-test-provider'] },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    // Email and name in the ID token itself, as institutional providers commonly send them.
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        claims: async () => ({ sub: id, ...(test.accounts.get(id) ?? { name: `Student ${id}`, email: `${id}@school.example`, email_verified: true }) }),
      };
    },
  });
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: unknown } | undefined;
    if (ctx.path === '/token' && test.tamperIdToken && body && typeof body.id_token === 'string') {
      ctx.body = { ...body, id_token: test.tamperIdToken(body.id_token) };
    }
  });
  handle = provider.callback();
  return test;
}
