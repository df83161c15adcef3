import { describe, expect, it } from 'vitest';
import type { Verdict } from '../contract/verdict.ts';
import { csvField, gradebookCsv } from './csv.ts';
import type { GradeResult } from './grade-batch.ts';
import { buildGradebook } from './gradebook.ts';
import { gradebookJunit, xmlEscape } from './junit.ts';
import { parseXml } from '../../tests/support/xml-wellformed.ts';

const resources = { wall_ms: 10, exit_code: 0, oom_killed: false, output_truncated: false };
const verdict = (v: Partial<Verdict>): Verdict => ({ version: 3, status: 'pass', tests: [], score: 0, max_score: 0, resources, ...v });
const result = (student: string, v: Partial<Verdict>, graded = true): GradeResult => ({
  student,
  verdict: verdict(v),
  graded,
  graded_at: graded ? '2026-01-02T03:04:05.000Z' : null,
  attempts: 1,
  ms: 10,
});

/** Minimal RFC 4180 reader, to prove the writer round-trips. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += ch;
  }
  return rows;
}

const nasty = ['a,b', 'say "hi"', 'two\nlines', 'cr\rhere', ' padded ', 'plain', 'ünï ☃', '=1+1'];

describe('CSV writer', () => {
  it('quotes only what needs quoting and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' x')).toBe('" x"');
    expect(csvField(null)).toBe('');
    expect(csvField(0)).toBe('0');
  });

  it('round-trips awkward student ids, with empty scores for ungraded rows', () => {
    const results = nasty.map((s, i) => result(s, { status: 'fail', score: 1, max_score: 2 }, i !== 0));
    const book = buildGradebook('ex,1', results, { maxScore: 2 });
    const rows = readCsv(gradebookCsv(book.rows));
    expect(rows[0]).toEqual(['student', 'exercise', 'score', 'max_score', 'status', 'graded_at', 'graded']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(nasty);
    expect(rows[1]).toEqual(['a,b', 'ex,1', '', '', 'fail', '', 'false']);
    expect(rows[2]).toEqual(['say "hi"', 'ex,1', '1', '2', 'fail', '2026-01-02T03:04:05.000Z', 'true']);
    expect(rows.every((r) => r.length === 7)).toBe(true);
  });

  it('reports the exercise max score on error rows that ran no checks', () => {
    const book = buildGradebook('ex', [result('a', { status: 'error', error_kind: 'syntax' })], { maxScore: 3 });
    expect(book.rows[0]).toMatchObject({ score: 0, max_score: 3, status: 'error', graded: true });
  });
});

describe('JUnit writer', () => {
  it('escapes markup, quotes and control characters', () => {
    expect(xmlEscape(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(xmlEscape('bell\x07 esc\x1b[31m nul\x00')).toBe('bell\ufffd esc\ufffd[31m nul\ufffd');
    expect(xmlEscape('lone \ud800 surrogate, ok 😀')).toBe('lone \ufffd surrogate, ok 😀');
  });

  it('writes one suite per student, one case per check, failures and errors with messages', () => {
    const evil = `</failure><x a="1"> & ]]> \x1b[0m`;
    const xml = gradebookJunit('ex', [
      result('al<ice>', { status: 'pass', score: 1, max_score: 1, tests: [{ name: 'works & "runs"', status: 'pass' }] }),
      result('bob', {
        status: 'fail',
        score: 1,
        max_score: 3,
        tests: [
          { name: 'a', status: 'pass' },
          { name: 'b', status: 'fail', message: evil, hint: 'try <gather>' },
          { name: 'c', status: 'error', message: 'boom' },
        ],
      }),
      result('carol', { status: 'error', error_kind: 'syntax', message: 'SyntaxError in main.py (line 3)' }),
      result('dave', { status: 'error', error_kind: 'internal', message: 'engine gone' }, false),
    ]);
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ name: 'ex', tests: '6', failures: '1', errors: '3' });
    const suites = root.children;
    expect(suites.map((s) => s.attrs.name)).toEqual(['al<ice>', 'bob', 'carol', 'dave']);
    expect(suites[0]!.children[0]!.attrs.name).toBe('works & "runs"');
    const bob = suites[1]!;
    expect(bob.attrs).toMatchObject({ tests: '3', failures: '1', errors: '1' });
    const failure = bob.children[1]!.children[0]!;
    expect(failure.name).toBe('failure');
    expect(failure.attrs.message).toBe(evil.replace('\x1b', '\ufffd'));
    expect(failure.text).toContain('Hint: try <gather>');
    expect(bob.children[2]!.children[0]!.name).toBe('error');
    expect(suites[2]!.children[0]!.children[0]!.attrs).toMatchObject({ type: 'syntax', message: 'SyntaxError in main.py (line 3)' });
    expect(suites[3]!.children[0]!.children[0]!.attrs.message).toMatch(/^NOT GRADED/);
    expect(suites[3]!.attrs.timestamp).toBeUndefined();
  });

  it('rejects XML that is not well-formed', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow(/closes/);
    expect(() => parseXml('<a>x & y</a>')).toThrow();
    expect(() => parseXml('<a x="<"/>')).toThrow();
    expect(() => parseXml('<a/><b/>')).toThrow(/after the root/);
    expect(() => parseXml('<a>\x01</a>')).toThrow(/not allowed/);
  });
});
