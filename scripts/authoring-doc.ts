/** npm run docs:authoring: regenerates docs/authoring.md from the exercise frontmatter schema. */
import { writeFileSync } from 'node:fs';
import { authoringDocPath, renderAuthoringDoc } from '../sandbox-server/exercises/authoring-doc.ts';

writeFileSync(authoringDocPath, renderAuthoringDoc());
console.log(`wrote ${authoringDocPath}`);
