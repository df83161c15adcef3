import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.ts';
import { newId } from '../classroom/tokens.ts';

/** The algorithm of the tool's signatures (the one LTI 1.3 requires every platform to accept). */
export const TOOL_ALG = 'RS256';

/** The tool's signing key: the private key that signs, and the public JWKS that platforms verify against. */
export interface ToolKeys {
  kid: string;
  privateKey: CryptoKey;
  jwks: { keys: JWK[] };
}

/**
 * The tool's key pair, made once and kept in the database, so every server sharing it signs
 * with the same key and publishes the same JWKS. Two servers making the first key at once
 * both keep the oldest.
 */
export async function toolKeys(db: Kysely<Tables>, now = Date.now()): Promise<ToolKeys> {
  let rows = await db.selectFrom('lti_tool_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
  if (rows.length === 0) {
    const { privateKey } = await generateKeyPair(TOOL_ALG, { extractable: true });
    const kid = newId();
    const jwk = { ...(await exportJWK(privateKey)), kid, alg: TOOL_ALG, use: 'sig' };
    await db.insertInto('lti_tool_keys').values({ kid, private_jwk: JSON.stringify(jwk), created_at: new Date(now).toISOString() }).execute();
    rows = await db.selectFrom('lti_tool_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
  }
  const jwks = rows.map((r) => publicHalf(JSON.parse(r.private_jwk) as JWK));
  const signing = JSON.parse(rows[0]!.private_jwk) as JWK;
  return { kid: rows[0]!.kid, privateKey: (await importJWK(signing, TOOL_ALG)) as CryptoKey, jwks: { keys: jwks } };
}

/** The public members of an RSA JWK. */
function publicHalf(jwk: JWK): JWK {
  const { kty, n, e, kid, alg, use } = jwk;
  return { kty, n, e, kid, alg, use } as JWK;
}
