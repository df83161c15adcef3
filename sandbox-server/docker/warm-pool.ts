import { LABEL_POOL } from '../base/names.ts';
import type { Sandbox, SandboxDriver, SandboxKind } from './driver.ts';

export interface WarmPoolOptions {
  /** The pool's name, on its sandboxes' LABEL_POOL (the kind by default). */
  name?: string;
  /** More labels for the pool's sandboxes. */
  labels?: Record<string, string>;
  /** Readies a new sandbox before it joins the pool (pulling images, say); a failure discards the sandbox. */
  prepare?: (sandbox: Sandbox) => Promise<void>;
}

/**
 * Sandboxes a part of the service keeps outside sessions (a warm pool, the check pool): the session lifecycle
 * keeps them filled and its reconciler leaves them alone.
 */
export interface SandboxReserve {
  /** Every sandbox it holds. */
  ids(): string[];
  /** Lets it fill from now on, and fills it. */
  start(): Promise<void>;
  /** Fills it again in the background. */
  fill(): Promise<void>;
}

/**
 * Sandboxes of one kind started ahead of demand, so a new session is ready without
 * waiting for a container or a nested engine to boot. Refilled in the background,
 * one sandbox at a time so a refill never competes hard with live students.
 */
export class WarmPool implements SandboxReserve {
  readonly kind: SandboxKind;
  readonly size: number;
  readonly name: string;
  #labels: Record<string, string>;
  #prepare: ((sandbox: Sandbox) => Promise<void>) | undefined;
  #driver: SandboxDriver;
  #ready: Sandbox[] = [];
  #filling: Promise<void> | undefined;
  #started = false;
  #stopped = false;
  #onError: (err: unknown) => void;

  constructor(driver: SandboxDriver, kind: SandboxKind, size: number, onError: (err: unknown) => void = () => {}, opts: WarmPoolOptions = {}) {
    this.#driver = driver;
    this.kind = kind;
    this.size = size;
    this.#onError = onError;
    this.name = opts.name ?? kind;
    this.#labels = { ...opts.labels, [LABEL_POOL]: this.name };
    this.#prepare = opts.prepare;
  }

  /** How many ready sandboxes wait in the pool. */
  get available(): number {
    return this.#ready.length;
  }

  /** Ids of the pooled sandboxes (so the reconciler leaves them alone). */
  ids(): string[] {
    return this.#ready.map((s) => s.id);
  }

  /** Takes a ready sandbox, if one is waiting and still runs, and starts a refill. */
  async take(): Promise<Sandbox | undefined> {
    let sandbox: Sandbox | undefined;
    while ((sandbox = this.#ready.shift())) {
      if (await this.#driver.isRunning(sandbox)) break;
      await this.#driver.remove(sandbox).catch(this.#onError);
    }
    this.fill();
    return sandbox;
  }

  /** Lets the pool fill from now on (once the service knows how to start sandboxes), and fills it. */
  start(): Promise<void> {
    this.#started = true;
    return this.fill();
  }

  /** Starts filling the pool up to its size in the background; returns the running fill. */
  fill(): Promise<void> {
    if (!this.#started || this.#stopped || this.size <= 0) return Promise.resolve();
    this.#filling ??= (async () => {
      let failures = 0;
      while (!this.#stopped && this.#ready.length < this.size && failures < 3) {
        try {
          const sandbox = await this.#driver.create(this.kind, this.#labels);
          try {
            await this.#prepare?.(sandbox);
          } catch (err) {
            await this.#driver.remove(sandbox).catch(() => undefined);
            throw err;
          }
          if (this.#stopped) await this.#driver.remove(sandbox);
          else this.#ready.push(sandbox);
        } catch (err) {
          failures += 1;
          this.#onError(err);
        }
      }
    })().finally(() => {
      this.#filling = undefined;
    });
    return this.#filling;
  }

  /** Stops refilling and removes every pooled sandbox. */
  async drain(): Promise<void> {
    this.#stopped = true;
    await this.#filling;
    const pooled = this.#ready.splice(0);
    await Promise.all(pooled.map((s) => this.#driver.remove(s).catch(this.#onError)));
  }
}
