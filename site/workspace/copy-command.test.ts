import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyCommand, shellQuote } from './copy-command.ts';

describe('copyCommand', () => {
  it('is one line that ends with Enter', () => {
    const command = copyCommand('pkg', { Dockerfile: 'FROM busybox\n' });
    expect(command.endsWith('\r')).toBe(true);
    expect(command.slice(0, -1)).not.toMatch(/[\r\n]/);
    expect(command.startsWith('mkdir -p ~/pkg && cd ~/pkg && ')).toBe(true);
  });

  it('writes every file byte for byte when a real shell runs it', () => {
    const home = mkdtempSync(join(tmpdir(), 'dy-copy-'));
    const files = {
      Dockerfile: 'FROM python:3.11-slim\nCMD ["python", "app.py"]\n',
      'app/it\'s $HOME.py': 'print("héllo ☕ `date` $PATH \\n")\n',
    };
    execFileSync('sh', ['-c', copyCommand('demo', files).slice(0, -1)], { env: { ...process.env, HOME: home }, stdio: 'pipe' });
    expect(readFileSync(join(home, 'demo', 'Dockerfile'), 'utf8')).toBe(files.Dockerfile);
    expect(readFileSync(join(home, 'demo', 'app', "it's $HOME.py"), 'utf8')).toBe(files["app/it's $HOME.py"]);
  });

  it('quotes for a POSIX shell', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});
