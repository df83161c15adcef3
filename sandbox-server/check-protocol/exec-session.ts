import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';

/** What one exec with stdin produced. */
export interface ExecOutcome {
  /** Lines of stdout that carried the nonce, with the prefix removed. */
  records: string[];
  /** How the exec stopped. */
  stop: 'exited' | 'end-record' | 'timeout' | 'output_limit';
  exitCode: number | null;
  wallMs: number;
  /** The tail of stderr and unprefixed stdout, for diagnostics. */
  strayTail: string;
}

/** Options of runExecWithStdin. */
export interface ExecSessionOptions {
  cmd: string[];
  user: string;
  stdin: Buffer;
  nonce: string;
  wallMs: number;
  maxOutputBytes: number;
  /** Called with every chunk of output as it arrives (before the output cap is applied). */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

/**
 * Runs `cmd` in a container, writes `stdin`, and reads nonce-prefixed JSON lines from stdout
 * until an end record, exit, the wall limit or the output cap — whichever comes first.
 */
export async function runExecWithStdin(docker: Docker, containerId: string, opts: ExecSessionOptions): Promise<ExecOutcome> {
  const started = Date.now();
  const exec = await docker.getContainer(containerId).exec({
    Cmd: opts.cmd,
    User: opts.user,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const stream = await exec.start({ hijack: true, stdin: true });
  const out = new PassThrough();
  const err = new PassThrough();
  docker.modem.demuxStream(stream, out, err);
  const prefix = `${opts.nonce} `;
  const records: string[] = [];
  let total = 0;
  let pending = '';
  let stray = '';
  const keepStray = (s: string) => {
    stray = (stray + s).slice(-2000);
  };
  const stop = await new Promise<ExecOutcome['stop']>((resolve) => {
    let done = false;
    const finish = (why: ExecOutcome['stop']) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(why);
    };
    const timer = setTimeout(() => finish('timeout'), opts.wallMs);
    const count = (chunk: Buffer) => {
      total += chunk.length;
      if (total > opts.maxOutputBytes) finish('output_limit');
    };
    out.on('data', (chunk: Buffer) => {
      if (done) return;
      count(chunk);
      if (!done) opts.onOutput?.('stdout', chunk);
      pending += chunk.toString('latin1');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.startsWith(prefix)) {
          const body = line.slice(prefix.length);
          records.push(body);
          if (isEndRecord(body)) finish('end-record');
        } else if (line.length > 0) keepStray(`${line.slice(0, 500)}\n`);
      }
      if (pending.length > 1024 * 1024) pending = pending.slice(-4096);
    });
    err.on('data', (chunk: Buffer) => {
      if (done) return;
      count(chunk);
      if (!done) opts.onOutput?.('stderr', chunk);
      keepStray(chunk.toString('utf8').slice(-1000));
    });
    stream.on('end', () => finish('exited'));
    stream.on('close', () => finish('exited'));
    stream.on('error', () => finish('exited'));
    stream.write(opts.stdin);
  });
  stream.destroy();
  let exitCode: number | null = null;
  if (stop === 'exited' || stop === 'end-record') {
    // After the end record the process is exiting: give it a moment, so the exit code is a fact, not a race.
    const deadline = Date.now() + 2000;
    for (;;) {
      const info = await exec.inspect().catch(() => undefined);
      if (!info) break;
      if (!info.Running) {
        exitCode = info.ExitCode ?? null;
        break;
      }
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return { records, stop, exitCode, wallMs: Date.now() - started, strayTail: stray };
}

function isEndRecord(body: string): boolean {
  try {
    return (JSON.parse(body) as { type?: unknown }).type === 'end';
  } catch {
    return false;
  }
}
