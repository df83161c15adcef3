import type { Exercise } from './load.ts';

/**
 * The images that dockerfile and compose exercises start from: every `FROM` of a Dockerfile and every
 * `image:` of a compose file in their starters and solutions, stage names and `scratch` left out, sorted.
 * A check sandbox that has these already need not pull them while the student waits.
 */
export function baseImages(exercises: Iterable<Exercise>): string[] {
  const images = new Set<string>();
  for (const exercise of exercises) {
    const kind = exercise.frontmatter.kind;
    if (kind !== 'dockerfile' && kind !== 'compose') continue;
    for (const [path, text] of [...Object.entries(exercise.starter), ...Object.entries(exercise.solution)]) {
      const name = path.split('/').at(-1) ?? path;
      if (/^Dockerfile|\.Dockerfile$/i.test(name)) for (const image of dockerfileBases(text)) images.add(image);
      else if (/\.ya?ml$/i.test(name)) for (const image of composeImages(text)) images.add(image);
    }
  }
  return [...images].sort();
}

/** The images a Dockerfile's stages start from (not earlier stages, not scratch, not ARG-made names). */
export function dockerfileBases(text: string): string[] {
  const stages = new Set<string>();
  const bases: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!m) continue;
    const image = m[1]!;
    if (!stages.has(image.toLowerCase()) && image !== 'scratch' && !image.includes('$')) bases.push(image);
    if (m[2]) stages.add(m[2].toLowerCase());
  }
  return bases;
}

/** The `image:` values of a compose file (plain, unquoted or quoted, without variables). */
export function composeImages(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s+image:\s*["']?([^"'\s#]+)["']?\s*(?:#.*)?$/.exec(line);
    if (m && !m[1]!.includes('$')) out.push(m[1]!);
  }
  return out;
}
