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
  DOCKYARD_POOL_CHECK: z.coerce
    .number()
    .int()
    .min(0)
    .default(1)
    .describe("Docker sandboxes kept ready for dockerfile and compose checks, with the exercises' base images pulled."),
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
  DOCKYARD_ADMIN_TOKEN: z
    .string()
    .min(16, 'use at least 16 characters')
    .optional()
    .describe('Bearer token for the admin API (POST /api/admin/instructors); it is off without one.'),
  DOCKYARD_PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'use an http:// or https:// URL, e.g. https://dockyard.school.example' })
    .optional()
    .describe('The URL students open, for the sign-in and join links Dockyard hands out; the address a request came to when unset.'),
  DOCKYARD_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .describe('Extra page origins allowed to open terminals (comma-separated); the server\'s own is always allowed.'),
});

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
