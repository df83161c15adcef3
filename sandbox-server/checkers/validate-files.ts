/** Limits on a submission's files. */
export const FILE_LIMITS = { maxFiles: 20, maxBytes: 64 * 1024 } as const;

/** The outcome of validating submission files. */
export type FilesCheck = { ok: true } | { ok: false; error: string };

/** Validates submission file names and sizes before any container exists. */
export function validateFiles(files: Record<string, string>): FilesCheck {
  if (files === null || typeof files !== 'object' || Array.isArray(files)) return { ok: false, error: 'files must be an object of name → text' };
  const names = Object.keys(files);
  if (names.length === 0) return { ok: false, error: 'no files submitted' };
  if (names.length > FILE_LIMITS.maxFiles) return { ok: false, error: `too many files (${names.length} > ${FILE_LIMITS.maxFiles})` };
  for (const name of names) {
    const text = files[name];
    if (typeof text !== 'string') return { ok: false, error: `${JSON.stringify(name)}: content must be text` };
    const problem = nameProblem(name);
    if (problem) return { ok: false, error: `${JSON.stringify(name)}: ${problem}` };
    if (text.includes('\0')) return { ok: false, error: `${JSON.stringify(name)}: content contains NUL` };
    const size = Buffer.byteLength(text, 'utf8');
    if (size > FILE_LIMITS.maxBytes) return { ok: false, error: `${JSON.stringify(name)}: ${size} bytes > ${FILE_LIMITS.maxBytes}` };
  }
  const dirs = new Set(names.flatMap((n) => n.split('/').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join('/'))));
  const clash = names.find((n) => dirs.has(n));
  if (clash) return { ok: false, error: `${JSON.stringify(clash)}: is both a file and a folder` };
  return { ok: true };
}

function nameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 200) return 'name must be 1–200 characters';
  if (name.includes('\0')) return 'name contains NUL';
  if (name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name)) return 'absolute paths are not allowed';
  if (name.includes('\\')) return 'backslashes are not allowed';
  const parts = name.split('/');
  if (parts.some((p) => p === '..')) return '".." is not allowed';
  if (parts.some((p) => p === '' || p === '.')) return 'empty or "." path segments are not allowed';
  if (/[\x00-\x1f\x7f]/.test(name)) return 'control characters are not allowed';
  return undefined;
}
