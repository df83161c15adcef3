import { readFileSync } from 'node:fs';
import { z } from 'zod';

const httpsUrl = z.url({ protocol: /^https?$/, message: 'use an http:// or https:// URL' });

/** One LMS registered with Dockyard: what its admin's tool registration page shows. */
export const PlatformSchema = z
  .object({
    issuer: z.string().min(1).describe('The platform\'s issuer (`iss` of its id_tokens), e.g. https://canvas.instructure.com.'),
    clientId: z.string().min(1).describe('The client ID the platform gave Dockyard (the `aud` of its id_tokens).'),
    deploymentIds: z.array(z.string().min(1)).min(1).describe('The deployment IDs of Dockyard at this platform; a launch from any other is refused.'),
    authLoginUrl: httpsUrl.describe('The platform\'s OIDC authorization endpoint, where a login is sent on.'),
    tokenUrl: httpsUrl.describe('The platform\'s OAuth2 token endpoint (client_credentials, for grades).'),
    jwksUrl: httpsUrl.describe('The platform\'s public keys (JWKS), which its id_tokens are verified against.'),
    tokenAudience: z.string().min(1).optional().describe('The `aud` of the client assertion sent to the token endpoint; the token URL when unset.'),
  })
  .strict();

export const PlatformsFileSchema = z
  .object({ platforms: z.array(PlatformSchema).min(1).describe('The LMSs Dockyard accepts launches from.') })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.platforms.forEach((p, i) => {
      const key = `${p.issuer} ${p.clientId}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['platforms', i, 'clientId'], message: `${p.issuer} with client ID ${p.clientId} is registered twice` });
      seen.add(key);
    });
  });

export type Platform = z.infer<typeof PlatformSchema>;

/** Reads the platform registrations file (DOCKYARD_LTI_PLATFORMS); throws naming the file and the field that is wrong. */
export function loadPlatforms(file: string): Platform[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`LTI platforms file ${file}: ${(err as Error).message}`);
  }
  const parsed = PlatformsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new Error(`LTI platforms file ${file}: ${problems}`);
  }
  return parsed.data.platforms;
}

/** The registration a login or launch names: by issuer, and by client ID where the issuer has several. */
export function findPlatform(platforms: readonly Platform[], issuer: string, clientId?: string | undefined): Platform | undefined {
  const ofIssuer = platforms.filter((p) => p.issuer === issuer);
  if (clientId !== undefined) return ofIssuer.find((p) => p.clientId === clientId);
  return ofIssuer.length === 1 ? ofIssuer[0] : undefined;
}
