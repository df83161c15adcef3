/** Bytes of a string as base64 (UTF-8 first, so any text survives). */
function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** A path quoted for a POSIX shell. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The shell line that writes the exercise's files into the folder ~/<slug> of the docker
 * sandbox and moves there, so the student can build them in the terminal. Each file travels
 * as base64, so quotes, dollars and newlines in it arrive unchanged.
 */
export function copyCommand(slug: string, files: Record<string, string>): string {
  const dir = `~/${slug}`;
  const steps = [`mkdir -p ${dir}`, `cd ${dir}`];
  for (const [path, text] of Object.entries(files)) {
    const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (folder) steps.push(`mkdir -p ${shellQuote(folder)}`);
    steps.push(`printf %s ${shellQuote(base64(text))} | base64 -d > ${shellQuote(path)}`);
  }
  steps.push('ls -l');
  return `${steps.join(' && ')}\r`;
}
