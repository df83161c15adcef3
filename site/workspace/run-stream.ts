import type { RunEvent } from '../../sandbox-server/contract/run-events.ts';

export type { RunEvent };

/**
 * Splits a run's newline-delimited JSON answer into events as its pieces arrive; a line split
 * across pieces waits for its end. Lines that are not events are skipped.
 */
export class RunStreamParser {
  private buffer = '';
  private readonly onEvent: (event: RunEvent) => void;

  constructor(onEvent: (event: RunEvent) => void) {
    this.onEvent = onEvent;
  }

  /** Feeds one decoded piece of the answer. */
  push(text: string): void {
    this.buffer += text;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      this.line(line);
    }
  }

  /** The answer ended: parses a last line without a newline. */
  end(): void {
    const rest = this.buffer;
    this.buffer = '';
    if (rest.trim()) this.line(rest);
  }

  private line(line: string): void {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return;
    }
    if (isRunEvent(value)) this.onEvent(value);
  }
}

function isRunEvent(value: unknown): value is RunEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.type === 'output') return (v.stream === 'stdout' || v.stream === 'stderr') && typeof v.data === 'string';
  if (v.type === 'start') return typeof v.entry === 'string';
  if (v.type === 'end') return typeof v.reason === 'string';
  return false;
}

/** Reads a fetch answer's body as a run stream, calling onEvent for each event until it ends. */
export async function readRunStream(body: ReadableStream<Uint8Array>, onEvent: (event: RunEvent) => void): Promise<void> {
  const parser = new RunStreamParser(onEvent);
  const decoder = new TextDecoder();
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.push(decoder.decode(value, { stream: true }));
  }
  parser.push(decoder.decode());
  parser.end();
}
