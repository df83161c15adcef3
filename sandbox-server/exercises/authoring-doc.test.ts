import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { authoringDocPath, renderAuthoringDoc } from './authoring-doc.ts';
import { schemaRows } from './schema-table.ts';
import { exerciseFrontmatterObject } from './schema.ts';

describe('docs/authoring.md', () => {
  it('is up to date with the schema (run npm run docs:authoring)', () => {
    expect(readFileSync(authoringDocPath, 'utf8')).toBe(renderAuthoringDoc());
  });

  it('documents every field, with a description, from the schema', () => {
    const rows = schemaRows(exerciseFrontmatterObject);
    expect(rows.map((r) => r.name)).toEqual([
      'title', 'kind', 'module', 'summary', 'difficulty', 'timeLimitSeconds',
      'files', 'files[].path', 'files[].readOnly', 'files[].language', 'sandbox', 'points',
    ]);
    expect(rows.filter((r) => !r.description)).toEqual([]);
    expect(rows.find((r) => r.name === 'timeLimitSeconds')).toMatchObject({ type: 'integer 1–120', default: '20', required: false });
    expect(rows.find((r) => r.name === 'kind')).toMatchObject({ required: true, default: '' });
  });
});
