import { z } from 'zod';

/** The kinds of sandbox Dockyard runs. */
export const SANDBOX_KINDS = ['docker', 'python'] as const;
/** A kind of sandbox: a Docker engine of its own or a Python runtime. */
export type SandboxKind = (typeof SANDBOX_KINDS)[number];

/** The body of POST /api/sessions. */
export const CreateSessionRequestSchema = z
  .object({ kind: z.enum(SANDBOX_KINDS).describe('The sandbox to start: a Docker engine or a Python runtime.') })
  .strict();

/** What a client gets back when it creates a session (201): the only time the token is shown. */
export const CreatedSessionSchema = z.object({
  id: z.string().describe('The session id.'),
  token: z.string().describe('The bearer token of the session: shown only in this answer.'),
  kind: z.enum(SANDBOX_KINDS).describe('The sandbox started.'),
  expiresAt: z.string().describe('When the session ends at the latest (ISO 8601).'),
  reused: z
    .boolean()
    .optional()
    .describe("True when a signed-in student's live sandbox of this kind was given back with a new token rather than a new one started."),
  keptUntil: z
    .string()
    .optional()
    .describe("For a signed-in student's kept docker sandbox: until when its images, containers, volumes and files are kept after the session ends (ISO 8601)."),
});

/** Session facts safe to show to the session's owner (GET /api/sessions/:id). */
export const SessionDescriptionSchema = z.object({
  id: z.string().describe('The session id.'),
  kind: z.enum(SANDBOX_KINDS).describe('The sandbox of the session.'),
  createdAt: z.string().describe('When it started (ISO 8601).'),
  expiresAt: z.string().describe('When it ends if nothing else happens: the earlier of its idle and its total limit (ISO 8601).'),
  idleExpiresAt: z.string().describe('When it ends without a sign of life (ISO 8601).'),
});

/** The body of a create-session request. */
export type CreateSessionRequest = z.infer<typeof CreateSessionRequestSchema>;
/** A created session, with its token. */
export type CreatedSession = z.infer<typeof CreatedSessionSchema>;
/** A session as its owner may see it. */
export type SessionDescription = z.infer<typeof SessionDescriptionSchema>;
