import type { GradeResult } from './grade-batch.ts';

/** Removes what XML 1.0 cannot carry at all: control characters, lone surrogates, U+FFFE/U+FFFF. */
export function xmlSafe(text: string): string {
  return text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Escapes text for an XML attribute value or element content (newlines kept in attributes as &#10;). */
export function xmlEscape(text: string): string {
  return xmlSafe(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\r', '&#13;')
    .replaceAll('\t', '&#9;');
}

function attrs(pairs: Record<string, string | number>): string {
  return Object.entries(pairs)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
}

interface Case {
  name: string;
  outcome?: { tag: 'failure' | 'error'; type: string; message: string; body: string };
}

/** The JUnit test cases of one result: one per check, plus one for a run that errored as a whole. */
function cases(r: GradeResult): Case[] {
  const v = r.verdict;
  const out: Case[] = v.tests.map((t) => {
    if (t.status === 'pass') return { name: t.name };
    const message = t.message ?? (t.status === 'fail' ? 'check failed' : 'check errored');
    const body = [message, t.hint ? `Hint: ${t.hint}` : '', t.output ? `Output:\n${t.output}` : ''].filter(Boolean).join('\n');
    return { name: t.name, outcome: { tag: t.status === 'fail' ? 'failure' : 'error', type: t.status, message, body } };
  });
  if (v.status === 'error' && !v.tests.some((t) => t.status === 'error')) {
    const message = r.graded ? (v.message ?? 'the submission could not be run') : `NOT GRADED (checker failure): ${v.message ?? 'internal error'}`;
    out.push({ name: 'submission runs', outcome: { tag: 'error', type: v.error_kind ?? 'error', message, body: message } });
  }
  return out;
}

/** The batch as JUnit XML: one testsuite per student, one testcase per check. */
export function gradebookJunit(exercise: string, results: readonly GradeResult[]): string {
  const suites = results.map((r) => ({ r, cases: cases(r) }));
  const count = (list: Case[], tag: string) => list.filter((c) => c.outcome?.tag === tag).length;
  const all = suites.flatMap((s) => s.cases);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: exercise, tests: all.length, failures: count(all, 'failure'), errors: count(all, 'error') })}>`,
  ];
  for (const { r, cases: list } of suites) {
    const suite = { name: r.student, tests: list.length, failures: count(list, 'failure'), errors: count(list, 'error'), skipped: 0 };
    const when: Record<string, string> = r.graded_at ? { timestamp: r.graded_at } : {};
    lines.push(`  <testsuite${attrs({ ...suite, ...when, time: (r.verdict.resources.wall_ms / 1000).toFixed(3) })}>`);
    for (const c of list) {
      const head = `    <testcase${attrs({ classname: `${exercise}.${r.student}`, name: c.name })}`;
      if (!c.outcome) {
        lines.push(`${head}/>`);
        continue;
      }
      const { tag, type, message, body } = c.outcome;
      lines.push(`${head}>`, `      <${tag}${attrs({ type, message })}>${xmlEscape(body)}</${tag}>`, '    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
