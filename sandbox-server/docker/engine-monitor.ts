import type Docker from 'dockerode';
import { probeEngine, type EngineProbe } from './engine.ts';

/** Keeps the last known state of an engine, re-probing it on an interval. */
export class EngineMonitor {
  #docker: Docker;
  #state: EngineProbe = { ok: false, error: 'not probed yet' };
  #timer: NodeJS.Timeout | undefined;
  #listeners: Array<(state: EngineProbe, previous: EngineProbe) => void> = [];

  constructor(docker: Docker) {
    this.#docker = docker;
  }

  /** The state seen at the last probe. */
  get state(): EngineProbe {
    return this.#state;
  }

  /** Calls `listener` whenever the engine goes from down to up or back. */
  onChange(listener: (state: EngineProbe, previous: EngineProbe) => void): void {
    this.#listeners.push(listener);
  }

  /** Probes now and records the result, telling listeners when up/down changed. */
  async probe(): Promise<EngineProbe> {
    const previous = this.#state;
    const next = await probeEngine(this.#docker);
    this.#state = next;
    if (next.ok !== previous.ok || previous.error === 'not probed yet') {
      for (const listener of this.#listeners) listener(next, previous);
    }
    return next;
  }

  /** Starts probing every `intervalMs`; the timer does not keep the process alive. */
  start(intervalMs: number): void {
    this.stop();
    this.#timer = setInterval(() => void this.probe(), intervalMs);
    this.#timer.unref();
  }

  /** Stops probing. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
