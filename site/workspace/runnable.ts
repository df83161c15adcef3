/** What a "Run in terminal" button types: the block's lines, each ended with Enter; blank edges dropped. */
export function commandToType(lines: readonly string[]): string {
  const kept = [...lines];
  while (kept.length > 0 && kept[0]!.trim() === '') kept.shift();
  while (kept.length > 0 && kept[kept.length - 1]!.trim() === '') kept.pop();
  return kept.map((line) => `${line.replace(/\s+$/, '')}\r`).join('');
}

