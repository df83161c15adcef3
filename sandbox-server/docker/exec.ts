import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';

/** The output of a command run to completion. */
export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a command in a container without a TTY, collecting stdout and stderr apart. */
export async function runInContainer(
  docker: Docker,
  containerId: string,
  cmd: string[],
  opts: { timeoutMs?: number; maxBytes?: number; user?: string } = {},
): Promise<RunResult> {
  const maxBytes = opts.maxBytes ?? 1024 * 1024;
  const exec = await docker.getContainer(containerId).exec({
    Cmd: cmd,
    AttachStdout: true,
    AttachStderr: true,
    ...(opts.user ? { User: opts.user } : {}),
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  let sizes = { out: 0, err: 0 };
  const collect = (which: 'out' | 'err') => (chunk: Buffer) => {
    if (sizes[which] >= maxBytes) return;
    chunks[which].push(chunk.subarray(0, maxBytes - sizes[which]));
    sizes = { ...sizes, [which]: sizes[which] + chunk.length };
  };
  out.on('data', collect('out'));
  err.on('data', collect('err'));
  docker.modem.demuxStream(stream, out, err);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new Error(`command ${cmd[0]} did not finish within ${opts.timeoutMs} ms`));
    }, opts.timeoutMs ?? 30_000);
    stream.on('end', () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  const info = await exec.inspect();
  return {
    exitCode: info.ExitCode ?? -1,
    stdout: Buffer.concat(chunks.out).toString('utf8'),
    stderr: Buffer.concat(chunks.err).toString('utf8'),
  };
}
