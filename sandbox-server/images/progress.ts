/** What ensureImages reports while it works. */
export interface ProgressEvent {
  /** `start`/`done`/`skip`/`fail` frame a step; `output` is a condensed line of build output. */
  type: 'start' | 'output' | 'done' | 'skip' | 'fail' | 'info';
  /** 1-based step number and the number of steps, when the event belongs to one. */
  step?: number;
  total?: number;
  /** The image (or `mirror`) the step is about. */
  subject?: string;
  message: string;
  durationMs?: number;
}

/** A callback receiving each progress event as a ready-to-print line and as structured data. */
export type ProgressHandler = (line: string, event: ProgressEvent) => void;

/** Formats a duration as `850 ms`, `12.3 s` or `2 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/** One line of text for a progress event, e.g. `[3/10] python:3.11-slim: building…`. */
export function formatProgress(event: ProgressEvent): string {
  const prefix = event.step && event.total ? `[${event.step}/${event.total}] ` : '';
  const subject = event.subject ? `${event.subject}: ` : '';
  const duration = event.durationMs !== undefined ? ` (${formatDuration(event.durationMs)})` : '';
  if (event.type === 'output') return `      ${event.message}`;
  return `${prefix}${subject}${event.message}${duration}`;
}

/** A JSON message of the engine's build, pull or push stream. */
export interface StreamMessage {
  stream?: string;
  status?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/**
 * Condenses a classic-builder stream: keeps `Step N/M : …` lines (shortened), remembers the last
 * step and the last lines of output for failure messages.
 */
export class BuildLog {
  lastStep: string | undefined;
  error: string | undefined;
  imageId: string | undefined;
  private readonly tail: string[] = [];
  private readonly tailSize: number;

  constructor(tailSize = 15) {
    this.tailSize = tailSize;
  }

  /** Takes one stream message; returns the condensed line worth showing, if any. */
  take(message: StreamMessage): string | undefined {
    if (message.aux?.ID) this.imageId = message.aux.ID;
    if (message.error || message.errorDetail?.message) {
      this.error = (message.errorDetail?.message ?? message.error ?? '').trim();
      return undefined;
    }
    const text = message.stream ?? (message.status ? `${message.status}${message.id ? ` ${message.id}` : ''}` : '');
    let shown: string | undefined;
    for (const raw of text.split('\n')) {
      const line = raw.replace(/\r/g, '').trimEnd();
      if (!line.trim()) continue;
      this.tail.push(line);
      if (this.tail.length > this.tailSize) this.tail.shift();
      const step = line.match(/^Step (\d+\/\d+) : (.*)$/);
      if (step) {
        this.lastStep = line;
        shown = `Step ${step[1]}: ${shorten(step[2]!, 90)}`;
      }
    }
    return shown;
  }

  /** The last lines of output seen. */
  lastLines(): string[] {
    return [...this.tail];
  }
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** An error naming the image and the step that failed, with the last lines of its output. */
export class KitBuildError extends Error {
  readonly image: string;
  readonly stepLine: string | undefined;
  readonly output: string[];

  constructor(image: string, reason: string, stepLine?: string, output: string[] = []) {
    const at = stepLine ? ` at "${shorten(stepLine, 120)}"` : '';
    const tail = output.length ? `\n--- last output ---\n${output.join('\n')}` : '';
    super(`building ${image} failed${at}: ${reason}${tail}`);
    this.name = 'KitBuildError';
    this.image = image;
    this.stepLine = stepLine;
    this.output = output;
  }
}
