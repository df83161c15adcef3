import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_SANDBOX_DISK_MB } from './docker/disk-quota.ts';
import { DEFAULT_WORK_LIMITS } from './http/work-slots.ts';

/** The service's settings, read from the environment and checked at start. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4321).describe('TCP port for the site and the API.'),
  HOST: z.string().min(1).default('127.0.0.1').describe('Address to listen on; 0.0.0.0 to serve a classroom.'),
  DOCKYARD_SITE_DIR: z
    .string()
    .default('dist/site')
    .describe('Folder of the built course site, relative to the project root.'),
  DOCKYARD_SKIP_IMAGES: z
    .enum(['0', '1'])
    .default('0')
    .describe('1 to never build the image kit at start (health then reports what is missing).'),
  DOCKYARD_SKIP_SITE_BUILD: z
    .enum(['0', '1'])
    .default('0')
    .describe('1 to serve dist/site as it is, without rebuilding it when lessons changed.'),
  DOCKYARD_IDLE_MINUTES: z.coerce.number().positive().default(15).describe('A session with no sign of life for this long ends.'),
  DOCKYARD_TTL_MINUTES: z.coerce.number().positive().default(120).describe('A session ends this long after it started.'),
  DOCKYARD_MAX_SESSIONS: z.coerce.number().int().positive().default(60).describe('Sessions this server runs at once.'),
  DOCKYARD_MAX_SESSIONS_PER_CLIENT: z.coerce
    .number()
    .int()
    .positive()
    .default(3)
    .describe('Sessions one client address may hold at once.'),
  DOCKYARD_MAX_CHECKS: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_WORK_LIMITS.total)
    .describe('Checks and runs (each in a fresh container) this server has going at once.'),
  DOCKYARD_MAX_CHECKS_PER_CLIENT: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_WORK_LIMITS.perClient)
    .describe('Checks and runs one client address may have going at once.'),
  DOCKYARD_POOL_DOCKER: z.coerce.number().int().min(0).default(2).describe('Warm docker sandboxes kept ready.'),
  DOCKYARD_POOL_PYTHON: z.coerce.number().int().min(0).default(2).describe('Warm python sandboxes kept ready.'),
  DOCKYARD_CLASS_PREWARM_MINUTES: z.coerce
    .number()
    .min(0)
    .max(120)
    .default(5)
    .describe("How many minutes before a class starts its students' docker sandboxes are made ready (one per enrolled student)."),
  DOCKYARD_CLASS_PREWARM_HOLD_MINUTES: z.coerce
    .number()
    .min(0)
    .max(120)
    .default(10)
    .describe("How many minutes after a class starts its unused pre-warmed sandboxes are kept for latecomers; then they are released."),
  DOCKYARD_CLASS_PREWARM_MAX: z.coerce
    .number()
    .int()
    .min(0)
    .default(60)
    .describe('At most this many extra docker sandboxes on the engine for classes starting (the machine\'s capacity); 0 turns the pre-warm off.'),
  DOCKYARD_POOL_CHECK: z.coerce
    .number()
    .int()
    .min(0)
    .default(1)
    .describe("Docker sandboxes kept ready for dockerfile and compose checks, with the exercises' base images pulled."),
  DOCKYARD_FREEZE_POOLS: z
    .enum(['0', '1'])
    .default('1')
    .describe('1 to freeze warm sandboxes while they wait (no CPU; thawed when taken), 0 to leave them running.'),
  DOCKYARD_FREEZE_IDLE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe("A session's sandbox with no terminal input or output, Check or other use for this long is frozen until its next use. 0: never."),
  DOCKYARD_ISOLATION: z
    .enum(['auto', 'sysbox', 'capabilities'], {
      error: 'use auto, sysbox or capabilities (privileged is refused: it hands a sandbox the host\'s devices; see docs/security.md)',
    })
    .default('auto')
    .describe('How docker sandboxes get their rights; auto picks sysbox where it is installed, else capabilities.'),
  DOCKYARD_SANDBOX_DISK_MB: z.coerce
    .number()
    .int()
    .min(0)
    .default(DEFAULT_SANDBOX_DISK_MB)
    .describe('What one docker sandbox may store, in MiB; over it the sandbox is stopped and removed. 0: no bound.'),
  DOCKYARD_KEEP_DAYS: z.coerce
    .number()
    .min(0)
    .max(365)
    .default(0)
    .describe(
      "Days a signed-in student's docker sandbox (its images, containers, volumes and /root) is kept after its session's time limit, to come back on their next visit. 0: not kept.",
    ),
  DOCKYARD_KEEP_PER_CLASS: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe("Students of one class whose sandboxes are kept at once; another student of the class is refused (409 keep_quota_reached). 0: no bound."),
  DOCKYARD_GRADER_TOKEN: z
    .string()
    .min(16, 'use at least 16 characters')
    .optional()
    .describe('Bearer token for POST /api/grading/:slug; batch grading over HTTP is off without one.'),
  DOCKYARD_DATA_DIR: z
    .string()
    .min(1)
    .default('data')
    .describe('Folder for what the server keeps (the SQLite database), relative to the project root.'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'use a postgres:// or postgresql:// URL')
    .optional()
    .describe('PostgreSQL to keep classes and progress in (several servers may share it); SQLite in the data folder without it.'),
  DOCKYARD_SERVER_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'use up to 100 letters, digits and . _ : -')
    .optional()
    .describe('This server among the servers sharing the database, the same across restarts; `<host>:<PORT>` (or the data folder with PORT=0) when unset.'),
  DOCKYARD_HEARTBEAT_SECONDS: z.coerce
    .number()
    .positive()
    .max(300)
    .default(10)
    .describe('How often a server renews its heartbeat in the database; after three missed, the others take over its sessions.'),
  DOCKYARD_ADMIN_TOKEN: z
    .string()
    .min(16, 'use at least 16 characters')
    .optional()
    .describe('Bearer token for the admin API (POST /api/admin/instructors); it is off without one.'),
  DOCKYARD_PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'use an http:// or https:// URL, e.g. https://dockyard.school.example' })
    .optional()
    .describe('The URL students open, for the sign-in and join links Dockyard hands out; the address a request came to when unset.'),
  DOCKYARD_LTI_PLATFORMS: z
    .string()
    .min(1)
    .optional()
    .describe('A JSON file of the LMSs (Canvas, Moodle) that may launch Dockyard by LTI 1.3, relative to the project root; LTI is off without one.'),
  DOCKYARD_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .describe('Extra page origins allowed to open terminals (comma-separated); the server\'s own is always allowed.'),
  DOCKYARD_OIDC_ISSUER: z
    .url({ protocol: /^https?$/, message: 'use the issuer URL of the OpenID provider, e.g. https://login.school.example' })
    .refine((v) => !URL.canParse(v) || new URL(v).protocol === 'https:' || isLoopback(new URL(v).hostname), 'use https (plain http only on loopback, for a provider on this machine)')
    .optional()
    .describe('OpenID Connect issuer for institutional sign-in; OIDC sign-in is off without it.'),
  DOCKYARD_OIDC_CLIENT_ID: z.string().min(1).optional().describe("Dockyard's client id at the OpenID provider."),
  DOCKYARD_OIDC_CLIENT_SECRET: z
    .string()
    .min(16, 'use at least 16 characters (it also signs the sign-in cookie)')
    .optional()
    .describe("Dockyard's client secret at the OpenID provider; it also signs the short-lived cookie of a sign-in in progress."),
  DOCKYARD_OIDC_NAME: z
    .string()
    .min(1)
    .max(60)
    .optional()
    .describe('The institution as the sign-in button names it ("Sign in with <name>"); the issuer\'s host name when unset.'),
  DOCKYARD_OIDC_INSTRUCTOR_EMAILS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean))
    .describe('Emails (comma-separated) whose provider-verified holders sign in as instructors; everyone else signs in as a student.'),
}).superRefine((env, ctx) => {
  // The three together or none: half a configuration would show a button that cannot work.
  const oidc = ['DOCKYARD_OIDC_ISSUER', 'DOCKYARD_OIDC_CLIENT_ID', 'DOCKYARD_OIDC_CLIENT_SECRET'] as const;
  const given = oidc.filter((k) => env[k] !== undefined);
  if (given.length === 0 || given.length === oidc.length) return;
  for (const missing of oidc.filter((k) => env[k] === undefined)) {
    ctx.addIssue({ code: 'custom', path: [missing], message: `set it too: OIDC sign-in needs ${oidc.join(', ')} (${given.join(', ')} given)` });
  }
});

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export type Config = z.infer<typeof configSchema> & { projectRoot: string; siteDir: string; dataDir: string };

/** Root of the Dockyard checkout (the folder holding package.json). */
export const projectRoot = resolve(import.meta.dirname, '..');

/** Reads and validates the configuration; throws a message naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return {
    ...parsed.data,
    projectRoot,
    siteDir: resolve(projectRoot, parsed.data.DOCKYARD_SITE_DIR),
    dataDir: resolve(projectRoot, parsed.data.DOCKYARD_DATA_DIR),
  };
}
