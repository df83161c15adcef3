import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** A Dockyard server started as `npm start` would start it, on a free port. */
export interface RunningServer {
  url: string;
  pid: number;
  output(): string;
  /** Sends `signal` without waiting (SIGKILL to simulate a crash). */
  kill(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

const root = resolve(import.meta.dirname, '..', '..');

/**
 * Starts `node sandbox-server/main.ts` with `env` added, and waits for the URL it prints;
 * with `sandboxes`, also until its session service runs (sessions re-adopted, pools started).
 */
export async function startServer(
  env: Record<string, string>,
  { timeoutMs = 180_000, sandboxes = false }: { timeoutMs?: number; sandboxes?: boolean } = {},
): Promise<RunningServer> {
  const child: ChildProcess = spawn(process.execPath, ['sandbox-server/main.ts'], {
    cwd: root,
    // No check pool unless a test asks for one: it would start a sandbox (and pull images) in every test server.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DOCKYARD_POOL_CHECK: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server printed no URL within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/serving the course at (http:\/\/\S+\/)/);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before serving:\n${output}`));
    });
  });
  if (sandboxes) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const health = (await (await fetch(new URL('api/health', url))).json()) as { sandboxes?: unknown };
      if (health.sandboxes) break;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the session service did not start within ${timeoutMs} ms:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url,
    pid: child.pid!,
    output: () => output,
    kill: (signal) => void child.kill(signal),
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
