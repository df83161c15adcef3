/**
 * Runnable shell blocks of a lesson.
 *
 * A block a student can run is fenced as ```sh runnable (lang sh, bash or shell, and the
 * word `runnable` among the info string's meta words). The blocks of one lesson run in
 * order, in one shell session, in a fresh docker sandbox; every one must succeed.
 *
 * A lesson that needs preparation or tidying the student should not see declares it in
 * an MDX comment, which renders nothing:
 *
 *     {/* runnable-setup
 *     docker pull nginx
 *     *\/}
 *
 * `runnable-setup` runs before the first block and `runnable-cleanup` after the last.
 */

/** One fenced block marked runnable. */
export interface RunnableBlock {
  /** Position among the lesson's runnable blocks, from 0. */
  index: number;
  /** The fence's language: sh, bash or shell. */
  lang: string;
  /** The meta words after the language, `runnable` included. */
  meta: string[];
  /** The block's text, without the fences. */
  code: string;
  /** 1-based line of the opening fence in the file. */
  line: number;
}

/** Everything a lesson runs: hidden setup, its runnable blocks in order, hidden cleanup. */
export interface LessonRun {
  setup: string[];
  blocks: RunnableBlock[];
  cleanup: string[];
}

export const SHELL_LANGS = ['sh', 'bash', 'shell'] as const;

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/** Splits a fence's info string into its language and meta words. */
export function parseInfo(info: string): { lang: string; meta: string[] } {
  const words = info.trim().split(/\s+/).filter(Boolean);
  const [lang = '', ...meta] = words;
  // `sh{runnable}`-style attributes are not supported; a meta word is a bare word.
  return { lang: lang.toLowerCase(), meta };
}

/** Whether a fence's info string marks a runnable shell block. */
export function isRunnableInfo(info: string): boolean {
  const { lang, meta } = parseInfo(info);
  return (SHELL_LANGS as readonly string[]).includes(lang) && meta.includes('runnable');
}

/** Removes the fence's indentation (up to `indent` spaces) from a content line, as CommonMark does. */
function unindent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && line[i] === ' ') i++;
  return line.slice(i);
}

/** The runnable shell blocks of an MDX (or Markdown) text, in order. Other blocks are ignored. */
export function extractRunnableBlocks(source: string): RunnableBlock[] {
  const lines = source.split(/\r?\n/);
  const blocks: RunnableBlock[] = [];
  let i = frontmatterEnd(lines);
  while (i < lines.length) {
    const open = FENCE_OPEN.exec(lines[i] ?? '');
    if (!open) {
      i++;
      continue;
    }
    const [, indentText = '', fence = '', info = ''] = open;
    // A backtick fence's info string may not contain a backtick (CommonMark).
    if (fence[0] === '`' && info.includes('`')) {
      i++;
      continue;
    }
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !close.test(lines[j] ?? '')) body.push(unindent(lines[j] ?? '', indentText.length)), j++;
    if (isRunnableInfo(info)) {
      const { lang, meta } = parseInfo(info);
      blocks.push({ index: blocks.length, lang, meta, code: body.join('\n'), line: i + 1 });
    }
    // An unclosed fence runs to the end of the document.
    i = j + 1;
  }
  return blocks;
}

/** The line after a leading YAML frontmatter, or 0 when there is none. */
function frontmatterEnd(lines: string[]): number {
  if (lines[0]?.trim() !== '---') return 0;
  for (let i = 1; i < lines.length; i++) if (lines[i]?.trim() === '---') return i + 1;
  return 0;
}

const HIDDEN = /\{\/\*\s*runnable-(setup|cleanup)[ \t]*\r?\n([\s\S]*?)\*\/\}/g;

/** Hidden setup and cleanup scripts declared in MDX comments, in order. */
export function extractHidden(source: string): { setup: string[]; cleanup: string[] } {
  const found = { setup: [] as string[], cleanup: [] as string[] };
  for (const m of source.matchAll(HIDDEN)) found[m[1] as 'setup' | 'cleanup'].push((m[2] ?? '').replace(/\s+$/, ''));
  return found;
}

/** Everything a lesson runs. */
export function readLessonRun(source: string): LessonRun {
  return { ...extractHidden(source), blocks: extractRunnableBlocks(source) };
}

/** Marker printed (on stdout and stderr) before each step of a lesson script. */
export const STEP_MARKER = '__dockyard_step__';

/**
 * One bash script that runs a lesson's setup, blocks and cleanup in order in ONE shell
 * session (a variable set in one block is seen by the next), stopping at the first
 * failing command. Before each step it prints `${STEP_MARKER} <name>` on stdout and
 * stderr, so the output can be split per step and a failure traced to its block.
 */
export function lessonScript(run: LessonRun): string {
  const steps: [string, string][] = [
    ...run.setup.map((code, i): [string, string] => [`setup-${i}`, code]),
    ...run.blocks.map((b): [string, string] => [`block-${b.index}`, b.code]),
    ...run.cleanup.map((code, i): [string, string] => [`cleanup-${i}`, code]),
  ];
  const parts = ['set -e'];
  for (const [name, code] of steps) {
    parts.push(`echo '${STEP_MARKER} ${name}'; echo '${STEP_MARKER} ${name}' >&2`, code);
  }
  parts.push(`echo '${STEP_MARKER} done'; echo '${STEP_MARKER} done' >&2`);
  return parts.join('\n') + '\n';
}

/** Output of a lesson script split by step: step name → its text. */
export function splitSteps(output: string): Map<string, string> {
  const steps = new Map<string, string>();
  let current = '(before)';
  let text: string[] = [];
  const flush = () => {
    if (current !== '(before)' || text.join('').trim()) steps.set(current, text.join('\n'));
  };
  for (const line of output.split('\n')) {
    if (line.startsWith(`${STEP_MARKER} `)) {
      flush();
      current = line.slice(STEP_MARKER.length + 1).trim();
      text = [];
    } else {
      text.push(line);
    }
  }
  flush();
  return steps;
}

/** The step a script stopped in: the last step it started, or `done` when it finished. */
export function lastStep(output: string): string | undefined {
  return [...splitSteps(output).keys()].filter((k) => k !== '(before)').at(-1);
}
