import { LABEL_CHECKER } from '../base/names.ts';
import type { Sandbox, SandboxDriver } from '../docker/driver.ts';
import { WarmPool } from '../docker/warm-pool.ts';
import type { SandboxSource } from './sandbox/check.ts';

/** Pulls `images` into a docker sandbox's own engine (from the course mirror), one after the other. */
async function pullImages(driver: SandboxDriver, sandbox: Sandbox, images: readonly string[]): Promise<void> {
  for (const image of images) {
    const r = await driver.run(sandbox, ['docker', 'pull', '-q', image], { timeoutMs: 180_000 });
    if (r.exitCode !== 0) throw new Error(`pulling ${image} into a check sandbox failed: ${(r.stderr || r.stdout).trim().slice(-300)}`);
  }
}

/**
 * Docker sandboxes made ready ahead of dockerfile and compose checks, each holding the images those exercises
 * build from; a check takes one, uses it once and removes it.
 */
export class CheckPool implements SandboxSource {
  readonly #pool: WarmPool;
  /** Sandboxes a check has taken and not yet removed. */
  readonly #checking = new Set<string>();

  constructor(driver: SandboxDriver, opts: { size: number; images: readonly string[]; onError?: (err: unknown) => void }) {
    this.#pool = new WarmPool(driver, 'docker', opts.size, opts.onError, {
      name: 'check',
      labels: { [LABEL_CHECKER]: 'sandbox' },
      prepare: (sandbox) => pullImages(driver, sandbox, opts.images),
    });
  }

  /** Ready sandboxes waiting for a check. */
  get available(): number {
    return this.#pool.available;
  }

  /** Every sandbox the pool holds, ready or in a check (so the reconciler leaves them alone). */
  ids(): string[] {
    return [...this.#pool.ids(), ...this.#checking];
  }

  /** A ready sandbox for one check, or undefined when none is ready. */
  async take(): Promise<Sandbox | undefined> {
    const sandbox = await this.#pool.take();
    if (sandbox) this.#checking.add(sandbox.id);
    return sandbox;
  }

  /** The check removed the sandbox it took. */
  done(sandbox: Sandbox): void {
    this.#checking.delete(sandbox.id);
  }

  /** Starts filling the pool (once sandboxes can be made). */
  start(): Promise<void> {
    return this.#pool.start();
  }

  /** Refills the pool in the background (after failures). */
  fill(): Promise<void> {
    return this.#pool.fill();
  }

  /** Stops refilling and removes the ready sandboxes. */
  drain(): Promise<void> {
    return this.#pool.drain();
  }
}
