import { LABEL_POOL } from '../base/names.ts';
import type { Sandbox, SandboxDriver, SandboxKind } from './driver.ts';

export interface WarmPoolOptions {
  /** The pool's name, on its sandboxes' LABEL_POOL (the kind by default). */
  name?: string;
  /** More labels for the pool's sandboxes. */
  labels?: Record<string, string>;
  /** Readies a new sandbox before it joins the pool (pulling images, say); a failure discards the sandbox. */
  prepare?: (sandbox: Sandbox) => Promise<void>;
  /** Freezes each sandbox once ready, so a waiting one uses no CPU; taking one thaws it. On by default. */
  freeze?: boolean;
  /** Told how long each thaw of a taken sandbox took, in milliseconds. */
  onThaw?: (ms: number) => void;
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
  /** How many it keeps ready now (a share of the engine's pool when servers share the engine). */
  size: number;
  readonly name: string;
  #labels: Record<string, string>;
  #prepare: ((sandbox: Sandbox) => Promise<void>) | undefined;
  #driver: SandboxDriver;
  #ready: Sandbox[] = [];
  #filling: Promise<void> | undefined;
  #started = false;
  #stopped = false;
  #onError: (err: unknown) => void;
  #freeze: boolean;
  #onThaw: (ms: number) => void;

  constructor(driver: SandboxDriver, kind: SandboxKind, size: number, onError: (err: unknown) => void = () => {}, opts: WarmPoolOptions = {}) {
    this.#driver = driver;
    this.kind = kind;
    this.size = size;
    this.#onError = onError;
    this.name = opts.name ?? kind;
    this.#labels = { ...opts.labels, [LABEL_POOL]: this.name };
    this.#prepare = opts.prepare;
    this.#freeze = opts.freeze ?? true;
    this.#onThaw = opts.onThaw ?? (() => {});
  }

  /** How many ready sandboxes wait in the pool. */
  get available(): number {
    return this.#ready.length;
  }

  /** Ids of the pooled sandboxes (so the reconciler leaves them alone). */
  ids(): string[] {
    return this.#ready.map((s) => s.id);
  }

  /** Takes a ready sandbox, if one is waiting and still runs, thawed, and starts a refill. */
  async take(): Promise<Sandbox | undefined> {
    let sandbox: Sandbox | undefined;
    while ((sandbox = this.#ready.shift())) {
      try {
        if (await this.#driver.isRunning(sandbox)) {
          if (this.#freeze) this.#onThaw(await this.#driver.thaw(sandbox));
          break;
        }
      } catch (err) {
        this.#onError(err);
      }
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
          // Stopped, or made smaller meanwhile (another server joined the engine): not wanted any more.
          if (this.#stopped || this.#ready.length >= this.size) await this.#driver.remove(sandbox);
          else {
            // A waiting sandbox's nested engine would tick for nothing: frozen, it costs memory only.
            // The freezer can fail to settle (a process stuck in the kernel): then it waits unfrozen.
            if (this.#freeze) await this.#driver.freeze(sandbox).catch(this.#onError);
            this.#ready.push(sandbox);
          }
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

  /** Keeps `size` ready from now on: fills up to a larger size, removes the ready sandboxes beyond a smaller one. */
  async resize(size: number): Promise<void> {
    this.size = size;
    const extra = this.#ready.splice(size);
    await Promise.all(extra.map((s) => this.#driver.remove(s).catch(this.#onError)));
    void this.fill();
  }

  /** Stops refilling and removes every pooled sandbox. */
  async drain(): Promise<void> {
    this.#stopped = true;
    await this.#filling;
    const pooled = this.#ready.splice(0);
    await Promise.all(pooled.map((s) => this.#driver.remove(s).catch(this.#onError)));
  }
}
