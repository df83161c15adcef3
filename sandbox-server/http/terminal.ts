import type { Duplex } from 'node:stream';
import type { Context, MiddlewareHandler } from 'hono';
import { upgradeWebSocket } from '@hono/node-server';
import type { WSContext } from 'hono/ws';
import type { WebSocket } from 'ws';
import { DiskQuotaExceeded, type ExecSession } from '../docker/driver.ts';
import type { Session, SessionManager } from '../sessions/manager.ts';
import { ControlFrameSchema, type ControlFrame, type ServerFrame } from '../contract/terminal.ts';
import { ApiError } from './errors.ts';


/** Terminal output held for a slow client before the shell is paused. */
const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;
/** Resizes are applied at most this often; the last one always wins. */
const RESIZE_INTERVAL_MS = 100;


/** Parses a text frame; undefined when it is not a valid control frame. */
export function parseControlFrame(text: string): ControlFrame | undefined {
  try {
    const parsed = ControlFrameSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Encodes a control frame for the client. */
function serverFrame(frame: ServerFrame): string {
  return JSON.stringify(frame);
}

/** Whether a browser page at `origin` may open a terminal on a server reached as `host`. */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true; // not a browser: the token alone decides
  if (allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Rejects cross-site WebSocket requests before the upgrade. */
export function checkOrigin(allowedOrigins: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    if (!originAllowed(c.req.header('origin'), c.req.header('host'), allowedOrigins)) {
      throw new ApiError(403, 'forbidden_origin', 'Terminals open only from the course site itself.');
    }
    await next();
  };
}

function size(c: Context): { cols: number; rows: number } {
  const clamp = (v: string | undefined, d: number, max: number) => {
    const n = Number(v);
    return Number.isInteger(n) && n >= 1 && n <= max ? n : d;
  };
  return { cols: clamp(c.req.query('cols'), 80, 1000), rows: clamp(c.req.query('rows'), 24, 500) };
}

/**
 * GET /api/sessions/:id/terminal?token=…: upgrades to a WebSocket carrying a fresh login
 * shell in the session's sandbox. Output is paused while the client lags, so a flood
 * (`cat /dev/urandom`) cannot grow the server's memory.
 */
export function terminalRoute(manager: SessionManager, log: (line: string) => void): MiddlewareHandler[] {
  const authorize: MiddlewareHandler = async (c, next) => {
    const session = await manager.authorize(c.req.param('id') ?? '', c.req.query('token'));
    c.set('session' as never, session as never);
    await next();
  };
  const upgrade = upgradeWebSocket((c) => {
    const session = c.get('session' as never) as Session;
    const initial = size(c);
    let exec: ExecSession | undefined;
    let closed = false;
    let pendingResize: { cols: number; rows: number } | undefined;
    let resizeTimer: NodeJS.Timeout | undefined;
    let drainTimer: NodeJS.Timeout | undefined;

    const applyResize = () => {
      resizeTimer = undefined;
      if (!exec || !pendingResize) return;
      const { cols, rows } = pendingResize;
      pendingResize = undefined;
      exec.resize(cols, rows).catch(() => {});
    };
    const write = (stream: Duplex, ws: WSContext, data: Buffer) => {
      if (!stream.write(data)) {
        // The shell reads slower than the client types: stop reading the socket until it catches up.
        const socket = (ws.raw as WebSocket & { _socket?: Duplex })._socket;
        socket?.pause();
        stream.once('drain', () => socket?.resume());
      }
    };
    const handle = (data: string | ArrayBuffer | Blob, ws: WSContext) => {
      if (!exec || closed) return;
      const frame = typeof data === 'string' ? parseControlFrame(data) : undefined;
      if (frame?.type === 'ping') {
        // An open page's heartbeat keeps the session, but is no use of the sandbox: an idle one may stay frozen.
        manager.keepAlive(session);
        return ws.send(serverFrame({ type: 'pong' }));
      }
      manager.touch(session);
      if (data instanceof ArrayBuffer) return write(exec.stream, ws, Buffer.from(data));
      if (typeof data !== 'string') return;
      if (!frame) return ws.send(serverFrame({ type: 'error', message: 'unknown control frame' }));
      if (frame.type === 'input') return write(exec.stream, ws, Buffer.from(frame.data));
      pendingResize = { cols: frame.cols, rows: frame.rows };
      resizeTimer ??= setTimeout(applyResize, RESIZE_INTERVAL_MS);
    };
    const queued: Array<string | ArrayBuffer | Blob> = [];

    return {
      onOpen: (_event, ws) => {
        const raw = ws.raw as WebSocket;
        manager.driver
          .openTty(session.sandbox, initial)
          .then((opened) => {
            if (closed) return void opened.close();
            exec = opened;
            const stream = opened.stream;
            stream.on('data', (chunk: Buffer) => {
              manager.used(session);
              if (raw.readyState !== raw.OPEN) return;
              raw.send(chunk, { binary: true });
              if (raw.bufferedAmount > HIGH_WATER && !stream.isPaused()) {
                stream.pause();
                drainTimer = setInterval(() => {
                  if (raw.readyState !== raw.OPEN || raw.bufferedAmount < LOW_WATER) {
                    clearInterval(drainTimer);
                    drainTimer = undefined;
                    stream.resume();
                  }
                }, 20);
              }
            });
            stream.on('end', () => ws.close(1000, 'shell exited'));
            stream.on('error', () => ws.close(1011, 'terminal stream failed'));
            for (const data of queued.splice(0)) handle(data, ws);
          })
          .catch((err: unknown) => {
            log(`terminal for session ${session.id}: ${(err as Error).message}`);
            if (err instanceof DiskQuotaExceeded) {
              // Said in the terminal itself, where the student looks.
              if (raw.readyState === raw.OPEN) raw.send(Buffer.from(`\r\n${err.message}\r\n`), { binary: true });
              return ws.close(1008, 'disk quota exceeded');
            }
            ws.close(1011, 'the sandbox did not start a shell');
          });
      },
      onMessage: (event, ws) => {
        if (!exec) queued.length < 64 && queued.push(event.data as string | ArrayBuffer);
        else handle(event.data as string | ArrayBuffer, ws);
      },
      onClose: () => {
        closed = true;
        if (resizeTimer) clearTimeout(resizeTimer);
        if (drainTimer) clearInterval(drainTimer);
        void exec?.close();
      },
    };
  });
  return [authorize, upgrade];
}
