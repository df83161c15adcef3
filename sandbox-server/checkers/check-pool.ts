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
 * One throwaway build in a docker sandbox's engine, its image and build cache removed afterwards: a check's first
 * build then no longer pays BuildKit's first use (measured: 1.3 s for the first build of a small Dockerfile in a
 * fresh sandbox, 0.6 s after this warm-up). Nothing of it is left for a check's build to find in the cache.
 */
async function warmBuilder(driver: SandboxDriver, sandbox: Sandbox, images: readonly string[]): Promise<void> {
  const base = images.find((image) => /^busybox(:|$)/.test(image)) ?? images[0];
  if (!base) return;
  const script = 'id=$(printf \'FROM %s\\nWORKDIR /warm-up\\nRUN true\\n\' "$1" | docker build -q --no-cache -) && docker rmi -f "$id" >/dev/null && docker builder prune -af >/dev/null';
  const r = await driver.run(sandbox, ['sh', '-c', script, 'warm-builder', base], { timeoutMs: 120_000 });
  if (r.exitCode !== 0) throw new Error(`the warm-up build in a check sandbox failed: ${(r.stderr || r.stdout).trim().slice(-300)}`);
}

/**
 * Docker sandboxes made ready ahead of dockerfile and compose checks, each holding the images those exercises
 * build from, its builder warmed up; a check takes one, uses it once and removes it.
 */
export class CheckPool implements SandboxSource {
  readonly #pool: WarmPool;
  /** Sandboxes a check has taken and not yet removed. */
  readonly #checking = new Set<string>();

  constructor(driver: SandboxDriver, opts: { size: number; images: readonly string[]; freeze?: boolean | undefined; onError?: (err: unknown) => void }) {
    this.#pool = new WarmPool(driver, 'docker', opts.size, opts.onError, {
      name: 'check',
      freeze: opts.freeze ?? false,
      labels: { [LABEL_CHECKER]: 'sandbox' },
      prepare: async (sandbox) => {
        await pullImages(driver, sandbox, opts.images);
        await warmBuilder(driver, sandbox, opts.images);
      },
    });
  }

  /** How many it keeps ready. */
  get size(): number {
    return this.#pool.size;
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

  /** Keeps `size` ready from now on (a share of the engine's check pool when servers share the engine). */
  resize(size: number): Promise<void> {
    return this.#pool.resize(size);
  }

  /** Stops refilling and removes the ready sandboxes. */
  drain(): Promise<void> {
    return this.#pool.drain();
  }
}
