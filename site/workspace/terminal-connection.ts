import type { ControlFrame } from '../../sandbox-server/contract/terminal.ts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import { chunkInput } from './chunk-input.ts';
import { HEARTBEAT_MS, startHeartbeat } from './heartbeat.ts';

/** The part of the browser's WebSocket the connection uses. */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: string | ArrayBufferView<ArrayBuffer> | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
}

/** Where the terminal link stands, as shown in the workspace bar. */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'expired' | 'closed';

/** Timer functions, injectable so tests control time. */
export interface ConnectionTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface ConnectionOptions {
  /** The terminal address for the current size. */
  url(cols: number, rows: number): string;
  createSocket(url: string): SocketLike;
  /** Whether the session still exists; asked after a drop, before reconnecting. */
  isSessionAlive(): Promise<boolean>;
  onOutput(bytes: Uint8Array): void;
  onStatus(status: ConnectionStatus): void;
  cols: number;
  rows: number;
  timers?: ConnectionTimers;
  policy?: BackoffPolicy;
  heartbeatMs?: number;
  random?: () => number;
}

const OPEN = 1;

/** Encodes a control frame for the server. */
function controlFrame(frame: ControlFrame): string {
  return JSON.stringify(frame);
}
/** Input typed while the link is down is kept up to this size and sent once it is back. */
const PENDING_LIMIT = 64 * 1024;

/** One terminal's WebSocket: input in frames, resizes, heartbeat, and reconnects with backoff while the session lives. */
export class TerminalConnection {
  private socket: SocketLike | undefined;
  private attempt = 0;
  private stopHeartbeat: (() => void) | undefined;
  private retryTimer: unknown;
  private disposed = false;
  private pending: string[] = [];
  private pendingSize = 0;
  private cols: number;
  private rows: number;
  private readonly timers: ConnectionTimers;
  status: ConnectionStatus = 'closed';

  private readonly options: ConnectionOptions;

  constructor(options: ConnectionOptions) {
    this.options = options;
    this.cols = options.cols;
    this.rows = options.rows;
    this.timers = options.timers ?? (globalThis as unknown as ConnectionTimers);
  }

  /** Opens the link. */
  start(): void {
    this.disposed = false;
    this.connect('connecting');
  }

  /** Sends terminal input in frames of at most 64 KiB; kept for later while the link is down. */
  send(data: string): void {
    if (this.socket && this.socket.readyState === OPEN && this.status === 'open') {
      for (const chunk of chunkInput(data)) this.socket.send(chunk);
      return;
    }
    if (this.pendingSize + data.length > PENDING_LIMIT) return;
    this.pending.push(data);
    this.pendingSize += data.length;
  }

  /** Tells the shell its new size (also used for the next connection). */
  resize(cols: number, rows: number): void {
    if (cols === this.cols && rows === this.rows) return;
    this.cols = cols;
    this.rows = rows;
    if (this.socket?.readyState === OPEN) this.socket.send(controlFrame({ type: 'resize', cols, rows }));
  }

  /** Closes the link for good. */
  dispose(): void {
    this.disposed = true;
    this.clearRetry();
    this.stopHeartbeat?.();
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.onclose = null;
      socket.close(1000, 'page left');
    }
    this.setStatus('closed');
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.options.onStatus(status);
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private connect(status: ConnectionStatus): void {
    this.setStatus(status);
    const socket = this.options.createSocket(this.options.url(this.cols, this.rows));
    this.socket = socket;
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => {
      if (socket !== this.socket) return;
      this.attempt = 0;
      this.setStatus('open');
      this.stopHeartbeat = startHeartbeat(
        () => socket.readyState === OPEN && socket.send(controlFrame({ type: 'ping' })),
        this.options.heartbeatMs ?? HEARTBEAT_MS,
        this.timers,
      );
      const pending = this.pending.splice(0);
      this.pendingSize = 0;
      for (const data of pending) this.send(data);
    };
    socket.onmessage = (ev) => {
      if (ev.data instanceof ArrayBuffer) this.options.onOutput(new Uint8Array(ev.data));
      else if (ArrayBuffer.isView(ev.data)) this.options.onOutput(new Uint8Array(ev.data.buffer, ev.data.byteOffset, ev.data.byteLength));
      // Text frames are control answers (pong, error): nothing to show.
    };
    socket.onerror = () => {};
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this.socket = undefined;
      this.stopHeartbeat?.();
      this.stopHeartbeat = undefined;
      if (!this.disposed) void this.afterDrop();
    };
  }

  private async afterDrop(): Promise<void> {
    this.setStatus('reconnecting');
    let alive = true;
    try {
      alive = await this.options.isSessionAlive();
    } catch {
      // The server is unreachable for now: keep trying, the backoff spaces the attempts.
    }
    if (this.disposed) return;
    if (!alive) return this.setStatus('expired');
    const delay = backoffDelay(this.attempt++, this.options.policy ?? DEFAULT_BACKOFF, this.options.random);
    this.clearRetry();
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.disposed) this.connect('reconnecting');
    }, delay);
  }
}
