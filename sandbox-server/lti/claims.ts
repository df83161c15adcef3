import { z } from 'zod';

/** The LTI 1.3 and AGS claim names Dockyard reads (IMS LTI Core 1.3, Assignment and Grade Services 2.0). */
export const CLAIM = {
  messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
  version: 'https://purl.imsglobal.org/spec/lti/claim/version',
  deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
  targetLinkUri: 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri',
  resourceLink: 'https://purl.imsglobal.org/spec/lti/claim/resource_link',
  roles: 'https://purl.imsglobal.org/spec/lti/claim/roles',
  context: 'https://purl.imsglobal.org/spec/lti/claim/context',
  custom: 'https://purl.imsglobal.org/spec/lti/claim/custom',
  agsEndpoint: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
} as const;

/** The AGS scope that lets a tool post scores. */
export const SCORE_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
/** The AGS scope that lets a tool make and read line items. */
export const LINEITEM_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem';

/** The claims of a resource link launch that Dockyard acts on; the signature, iss, aud, exp and nonce are checked before. */
export const LaunchClaimsSchema = z.object({
  sub: z.string().min(1, 'the launch names no user (sub): anonymous launches are not supported').max(255),
  name: z.string().max(200).optional(),
  given_name: z.string().max(200).optional(),
  family_name: z.string().max(200).optional(),
  email: z.email().max(320).optional().catch(undefined),
  [CLAIM.messageType]: z.literal('LtiResourceLinkRequest', { error: 'only resource link launches (LtiResourceLinkRequest) are supported' }),
  [CLAIM.version]: z.literal('1.3.0', { error: 'only LTI 1.3.0 is supported' }),
  [CLAIM.deploymentId]: z.string().min(1).max(255),
  [CLAIM.targetLinkUri]: z.string().max(2000).optional(),
  [CLAIM.resourceLink]: z.object({ id: z.string().min(1).max(255), title: z.string().max(300).optional() }),
  [CLAIM.roles]: z.array(z.string()),
  [CLAIM.context]: z.object({ id: z.string().min(1).max(255), title: z.string().max(300).optional(), label: z.string().max(300).optional() }).optional(),
  [CLAIM.custom]: z.record(z.string(), z.unknown()).optional(),
  [CLAIM.agsEndpoint]: z
    .object({ scope: z.array(z.string()).default([]), lineitem: z.url().optional(), lineitems: z.url().optional() })
    .optional(),
});

export type LaunchClaims = z.infer<typeof LaunchClaimsSchema>;

const INSTRUCTOR = /(^|[#/])(Instructor|Administrator|ContentDeveloper)$|membership\/Instructor#/;
const LEARNER = /(^|[#/])Learner$|membership\/Learner#/;

/** A launch's Dockyard role: context Instructor (and its sub-roles) → instructor, Learner → student, else none. */
export function roleOf(roles: readonly string[]): 'instructor' | 'student' | undefined {
  const membership = roles.filter((r) => !r.includes('/institution/') && !r.includes('/system/'));
  if (membership.some((r) => INSTRUCTOR.test(r))) return 'instructor';
  if (membership.some((r) => LEARNER.test(r))) return 'student';
  return undefined;
}
