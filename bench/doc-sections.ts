/**
 * docs/benchmarks.md is written by three tools: `npm run bench` (the main results) and
 * `npm run loadtest` / `npm run soak`, each owning a section between markers. Each tool
 * replaces its own section and keeps the others.
 */

const start = (name: string) => `<!-- section:${name} -->`;
const end = (name: string) => `<!-- /section:${name} -->`;

/** The sections of `doc` by name, markers included. */
export function readSections(doc: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const m of doc.matchAll(/<!-- section:([a-z-]+) -->[\s\S]*?<!-- \/section:\1 -->/g)) sections.set(m[1]!, m[0]);
  return sections;
}

/** `body` wrapped in the markers of section `name`. */
export function section(name: string, body: string): string {
  return `${start(name)}\n${body.trim()}\n${end(name)}`;
}

/** `doc` with section `name` replaced by `body`, or appended when it has none. */
export function upsertSection(doc: string, name: string, body: string): string {
  const wrapped = section(name, body);
  const existing = readSections(doc).get(name);
  if (existing) return doc.replace(existing, () => wrapped);
  return `${doc.trimEnd()}\n\n${wrapped}\n`;
}

/** A freshly rendered document with the sections of `previous` it does not have carried over. */
export function carrySections(previous: string, next: string): string {
  let doc = next;
  const have = readSections(next);
  for (const [name, text] of readSections(previous)) if (!have.has(name)) doc = `${doc.trimEnd()}\n\n${text}\n`;
  return doc;
}
