import { parseArgs } from 'node:util';
import { loadConfig } from '../sandbox-server/config.ts';
import { CreateInstructorRequestSchema } from '../sandbox-server/contract/classroom.ts';
import { ensureInstructor, INSTRUCTOR_LINK_MS, issueSignInLink } from '../sandbox-server/classroom/accounts.ts';
import { openDatabase } from '../sandbox-server/db/database.ts';
import { signInUrl } from '../sandbox-server/http/classroom/links.ts';

/**
 * npm run instructor:new -- --email <address> --name <name>: makes an instructor (or finds the
 * one with that email) in the configured database and prints a one-time sign-in link for them.
 * Exit 0: printed; 2: usage or setup.
 */
const usage = 'usage: npm run instructor:new -- --email <address> --name <name>';
const fail = (message: string): never => {
  console.error(`✗ ${message}`);
  process.exit(2);
};

let values: { email?: string; name?: string; help?: boolean } = {};
try {
  values = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values;
} catch (err) {
  fail(`${(err as Error).message}\n${usage}`);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const input = CreateInstructorRequestSchema.safeParse({ email: values.email, name: values.name });
if (!input.success) {
  const issue = input.error.issues[0]!;
  fail(`--${issue.path.join('.')}: ${issue.message}\n${usage}`);
}
const { email, name } = input.data!;

let config;
try {
  config = loadConfig();
} catch (err) {
  fail((err as Error).message);
}
const database = await openDatabase({ url: config!.DATABASE_URL, dataDir: config!.dataDir }).catch((err: Error) => fail(err.message));
try {
  const instructor = await ensureInstructor(database.db, email, name);
  const link = await issueSignInLink(database.db, instructor.id, INSTRUCTOR_LINK_MS);
  const host = ['0.0.0.0', '::'].includes(config!.HOST) ? 'localhost' : config!.HOST;
  const origin = (config!.DOCKYARD_PUBLIC_URL ?? `http://${host}:${config!.PORT}`).replace(/\/+$/, '');
  console.log(`Instructor ${instructor.display_name} <${email}> (database: ${database.where}).`);
  console.log(`Open this link to sign in; it works once, until ${link.expiresAt}:`);
  console.log(signInUrl(origin, link.token));
} finally {
  await database.close();
}
