/** npm run exercise:new -- <slug> --kind <kind> [--module <m>] [--title "…"]: scaffolds exercises/<slug>/. */
import { parseArgs } from 'node:util';
import { ScaffoldError, scaffoldExercise } from '../sandbox-server/exercises/scaffold.ts';
import { exerciseKinds } from '../sandbox-server/exercises/schema.ts';

const usage = `usage: npm run exercise:new -- <slug> --kind <${exerciseKinds.join('|')}> [--module <module>] [--title "Title"]`;

function main(): number {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { kind: { type: 'string' }, module: { type: 'string' }, title: { type: 'string' }, root: { type: 'string' } },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [slug, ...extra] = positionals;
  if (!slug || extra.length > 0 || !values.kind) {
    console.error(!slug ? `missing <slug>\n${usage}` : extra.length ? `one slug only, got ${positionals.join(' ')}\n${usage}` : `missing --kind\n${usage}`);
    return 2;
  }
  try {
    const created = scaffoldExercise({
      root: values.root ?? 'exercises',
      slug,
      kind: values.kind,
      ...(values.module ? { module: values.module } : {}),
      ...(values.title ? { title: values.title } : {}),
    });
    console.log(`created exercise "${slug}":`);
    for (const path of created) console.log(`  ${path}`);
    if (!values.module) console.log('module is "todo": set it in exercise.md to a folder of content/.');
    console.log('next: write exercise.md, starter/, solution/ and check.py; see docs/authoring.md.');
    return 0;
  } catch (err) {
    if (err instanceof ScaffoldError) {
      console.error(`${err.message}\n${usage}`);
      return 2;
    }
    throw err;
  }
}

process.exitCode = main();
