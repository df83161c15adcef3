/** The end marker of the here-document a Python block is typed in; nothing a lesson would write. */
const PY_END = 'DOCKYARD_PY';

/**
 * What a "Run in terminal" button types: the block's lines, each ended with Enter, blank
 * edges dropped. A Python block is handed to `python3 -` as a here-document, so the shell
 * runs it as one program instead of reading Python as shell commands.
 */
export function commandToType(lines: readonly string[], language = 'sh'): string {
  const kept = trimmed(lines);
  if (kept.length === 0) return '';
  const typed = kept.map((line) => `${line.replace(/\s+$/, '')}\r`).join('');
  return language === 'python' || language === 'py' ? `python3 - <<'${PY_END}'\r${typed}${PY_END}\r` : typed;
}

/** A lesson's Python example as a program: its lines, blank edges dropped; empty when there is nothing. */
export function exampleCode(lines: readonly string[]): string {
  const kept = trimmed(lines);
  return kept.length === 0 ? '' : `${kept.map((line) => line.replace(/\s+$/, '')).join('\n')}\n`;
}

/** The lines without blank ones at either end. */
function trimmed(lines: readonly string[]): string[] {
  const kept = [...lines];
  while (kept.length > 0 && kept[0]!.trim() === '') kept.shift();
  while (kept.length > 0 && kept[kept.length - 1]!.trim() === '') kept.pop();
  return kept;
}
