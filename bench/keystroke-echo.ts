/** Keystroke echo round trip: Dockyard's terminal WebSocket against a raw `docker exec` TTY in the same container. */
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import type Docker from 'dockerode';
import { openTerminal } from '../tests/support/terminal-client.ts';
import { sleep } from './timing.ts';

/** A terminal the bench can type into and read from. */
export interface EchoPort {
  write(text: string): void;
  output(): string;
  /** Calls `listener` after each chunk of output; returns a function that removes it. */
  onData(listener: () => void): () => void;
  close(): Promise<void>;
}

/** The end of the sandbox prompt: `$ ` for a user, `# ` for root. */
const PROMPT = /[$#] /;
const KEYS = 'abcdefghijklmnopqrstuvwxyz';
const ERASE = '\x7f';

/** Opens the session's terminal through Dockyard (HTTP upgrade, WebSocket, server relay, exec TTY). */
export async function dockyardPort(baseUrl: string, sessionId: string, token: string, localAddress?: string): Promise<EchoPort> {
  const term = await openTerminal(baseUrl, sessionId, token, { cols: 80, rows: 24, ...(localAddress ? { localAddress } : {}) });
  return {
    write: (text) => term.type(text),
    output: () => term.output(),
    onData: (listener) => {
      term.ws.on('message', listener);
      return () => term.ws.off('message', listener);
    },
    close: () => term.close(),
  };
}

/** Opens the same login shell Dockyard starts, over a raw `docker exec` TTY (no Dockyard layer). */
async function rawExecPort(docker: Docker, containerId: string): Promise<EchoPort> {
  const exec = await docker.getContainer(containerId).exec({
    Cmd: ['bash', '-l'],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
    Env: ['TERM=xterm-256color', 'COLUMNS=80', 'LINES=24'],
  });
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
  await exec.resize({ w: 80, h: 24 }).catch(() => {});
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return {
    write: (t) => void stream.write(t),
    output: () => text,
    onData: (listener) => {
      stream.on('data', listener);
      return () => stream.off('data', listener);
    },
    close: async () => {
      stream.end();
      stream.destroy();
    },
  };
}

/** Resolves with the time (performance.now) at which output after `from` first satisfied `done`. */
export function outputAt(port: EchoPort, from: number, done: (seen: string) => boolean, timeoutMs = 10_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done(port.output().slice(from))) return false;
      const at = performance.now();
      stop();
      clearTimeout(timer);
      resolve(at);
      return true;
    };
    const stop = port.onData(check);
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`terminal output did not arrive within ${timeoutMs} ms; last output: ${JSON.stringify(port.output().slice(-300))}`));
    }, timeoutMs);
    check();
  });
}

/** Waits for the shell prompt, then for `quietMs` without output (the welcome text and prompt are done). */
export async function settle(port: EchoPort, quietMs = 500): Promise<void> {
  await outputAt(port, 0, (seen) => PROMPT.test(seen), 30_000);
  for (;;) {
    const before = port.output().length;
    await sleep(quietMs);
    if (port.output().length === before) return;
  }
}

/** Types one character and times until its echo arrives; then erases it (untimed) so the line stays clean. */
export async function roundTrip(port: EchoPort, key: string): Promise<number> {
  const from = port.output().length;
  const sent = performance.now();
  port.write(key);
  const echoed = await outputAt(port, from, (seen) => seen.includes(key));
  const eraseFrom = port.output().length;
  port.write(ERASE);
  await outputAt(port, eraseFrom, (seen) => seen.includes('\b'));
  return echoed - sent;
}

/** `runs` round trips on each path, alternating Dockyard and raw so drift hits both alike. */
export async function keystrokeEcho(
  docker: Docker,
  session: { baseUrl: string; id: string; token: string; containerId: string },
  runs: number,
): Promise<{ dockyard: number[]; raw: number[] }> {
  const ports: EchoPort[] = [];
  try {
    const dockyard = await dockyardPort(session.baseUrl, session.id, session.token);
    ports.push(dockyard);
    const raw = await rawExecPort(docker, session.containerId);
    ports.push(raw);
    await Promise.all([settle(dockyard), settle(raw)]);
    // One unmeasured round trip on each path warms both up.
    await roundTrip(dockyard, 'z');
    await roundTrip(raw, 'z');
    const result = { dockyard: [] as number[], raw: [] as number[] };
    for (let i = 0; i < runs; i += 1) {
      const key = KEYS[i % KEYS.length]!;
      result.dockyard.push(await roundTrip(dockyard, key));
      result.raw.push(await roundTrip(raw, key));
    }
    return result;
  } finally {
    for (const port of ports) await port.close().catch(() => {});
  }
}
