import type { Sandbox, SandboxDriver, SandboxKind } from '../docker/driver.ts';

/** On warm-pool sandboxes: the kind they were made for. */
export const LABEL_POOL = 'dockyard.pool';

/**
 * Sandboxes of one kind started ahead of demand, so a new session is ready without
 * waiting for a container or a nested engine to boot. Refilled in the background,
 * one sandbox at a time so a refill never competes hard with live students.
 */
export class WarmPool {
  readonly kind: SandboxKind;
  readonly size: number;
  #driver: SandboxDriver;
  #ready: Sandbox[] = [];
  #filling: Promise<void> | undefined;
  #started = false;
  #stopped = false;
  #onError: (err: unknown) => void;

  constructor(driver: SandboxDriver, kind: SandboxKind, size: number, onError: (err: unknown) => void = () => {}) {
    this.#driver = driver;
    this.kind = kind;
    this.size = size;
    this.#onError = onError;
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
          const sandbox = await this.#driver.create(this.kind, { [LABEL_POOL]: this.kind });
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
