/** The parts of exercise.md: raw YAML frontmatter and the Markdown after it. */
export interface SplitDocument {
  yaml: string | null;
  body: string;
}

/** Splits `---` fenced YAML frontmatter from the Markdown body; yaml is null when there is none. */
export function splitFrontmatter(text: string): SplitDocument {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const match = /^---\n([\s\S]*?)\n?---[ \t]*(?:\n|$)/.exec(normalized);
  if (!match) return { yaml: null, body: normalized };
  return { yaml: match[1] ?? '', body: normalized.slice(match[0].length) };
}

/** The Markdown body with the Hints section taken out, and the hints one by one. */
export interface HintSplit {
  instructions: string;
  /** null when the body has no `## Hints` section at all. */
  hints: string[] | null;
}

const fence = /^\s{0,3}(```|~~~)/;

/** Marks which lines are inside fenced code blocks, so headings and list markers there are ignored. */
function codeLines(lines: string[]): boolean[] {
  const inside: boolean[] = [];
  let open: string | null = null;
  for (const line of lines) {
    const m = fence.exec(line);
    if (open) {
      inside.push(true);
      if (m && m[1] === open) open = null;
    } else if (m) {
      inside.push(true);
      open = m[1] ?? null;
    } else {
      inside.push(false);
    }
  }
  return inside;
}

/** Cuts `## Hints` out of the body; its `###` sub-sections, or else its top-level list items, are the hints. */
export function splitHints(body: string): HintSplit {
  const lines = body.split('\n');
  const code = codeLines(lines);
  const start = lines.findIndex((l, i) => !code[i] && /^##\s+Hints\s*#*\s*$/i.test(l));
  if (start < 0) return { instructions: body.trim(), hints: null };
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    if (!code[i] && /^#{1,2}\s/.test(lines[i] ?? '')) {
      end = i;
      break;
    }
  }
  const section = lines.slice(start + 1, end);
  const sectionCode = code.slice(start + 1, end);
  const instructions = [...lines.slice(0, start), ...lines.slice(end)].join('\n').replace(/\n{3,}/g, '\n\n').trim();
  const hasSubsections = section.some((l, i) => !sectionCode[i] && /^###\s/.test(l));
  const hints = hasSubsections ? subsectionHints(section, sectionCode) : listHints(section, sectionCode);
  return { instructions, hints: hints.filter((h) => h.length > 0) };
}

function subsectionHints(section: string[], code: boolean[]): string[] {
  const parts: { title: string; body: string[] }[] = [];
  section.forEach((line, i) => {
    const heading = !code[i] ? /^###\s+(.*?)\s*#*\s*$/.exec(line) : null;
    if (heading) parts.push({ title: heading[1] ?? '', body: [] });
    else parts.at(-1)?.body.push(line);
  });
  return parts.map(({ title, body }) => [title ? `**${title}**` : '', body.join('\n').trim()].filter(Boolean).join('\n\n'));
}

function listHints(section: string[], code: boolean[]): string[] {
  const hints: string[] = [];
  let current: string[] | null = null;
  let indent = 0;
  section.forEach((line, i) => {
    const item = !code[i] ? /^([-*+]|\d+[.)])(\s+)(.*)$/.exec(line) : null;
    if (item) {
      if (current) hints.push(current.join('\n').trim());
      indent = (item[1] ?? '').length + (item[2] ?? '').length;
      current = [item[3] ?? ''];
    } else if (current) {
      const lead = /^ */.exec(line)?.[0].length ?? 0;
      current.push(line.slice(Math.min(lead, indent)));
    }
  });
  if (current) hints.push((current as string[]).join('\n').trim());
  return hints;
}
