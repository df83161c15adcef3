import { describe, expect, it } from 'vitest';
import { carrySections, readSections, upsertSection } from './doc-sections.ts';

describe('benchmark document sections', () => {
  it('appends a section, then replaces only it', () => {
    let doc = upsertSection('# Benchmarks\n\nmain\n', 'loadtest', 'first');
    doc = upsertSection(doc, 'soak', 'soak figures');
    doc = upsertSection(doc, 'loadtest', 'second $& run');
    expect(doc).toContain('second $& run');
    expect(doc).not.toContain('first');
    expect(doc).toContain('soak figures');
    expect([...readSections(doc).keys()]).toEqual(['loadtest', 'soak']);
  });

  it('carries the sections of the previous document into a new one', () => {
    const previous = upsertSection('# old\n', 'soak', 'soak figures');
    const next = carrySections(previous, '# Benchmarks\n\nnew main\n');
    expect(next.startsWith('# Benchmarks')).toBe(true);
    expect(next).toContain('soak figures');
    expect(next).not.toContain('# old');
  });
});
