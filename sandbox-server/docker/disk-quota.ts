import type Docker from 'dockerode';
import { LABEL_CREATED, LABEL_MANAGED, LABEL_ROLE } from '../base/names.ts';
import { runInContainer } from './exec.ts';

/** Default disk bound of one docker sandbox: its nested engine's storage plus its own writable layer. */
export const DEFAULT_SANDBOX_DISK_MB = 4096;
/** How often the sandboxes' disk use is measured by default. */
export const DEFAULT_DISK_CHECK_MS = 5000;

/** The disk bound of docker sandboxes; `false` turns the watchdog off. */
export interface DiskQuota {
  bytes: number;
  intervalMs: number;
}

/** The disk quota of `mb` MiB per docker sandbox (DOCKYARD_SANDBOX_DISK_MB, read by config.ts); `0` turns the bound off. */
export function diskQuotaOf(mb: number): DiskQuota | false {
  if (!Number.isInteger(mb) || mb < 0) throw new RangeError(`a disk bound is a whole number of MiB, not ${mb}`);
  return mb === 0 ? false : { bytes: mb * 1024 * 1024, intervalMs: DEFAULT_DISK_CHECK_MS };
}

/** What a student sees in the terminal when the bound stops the sandbox. */
export function diskQuotaMessage(bytes: number): string {
  return (
    `Dockyard stopped this sandbox: it stored more than ${Math.round(bytes / 1024 / 1024)} MiB ` +
    '(images, containers, volumes and files together). Its storage is removed; ' +
    'reload the page for a fresh sandbox.'
  );
}

/** Raised when a shell is asked of a sandbox the disk bound stopped. */
export class DiskQuotaExceeded extends Error {
  readonly code = 'disk_quota_exceeded';
}

/** Name of the one long-lived container that measures sandboxes' storage on an engine. */
export const DISK_METER_CONTAINER = 'dockyard-disk-meter';
const METER_IMAGE = 'busybox:latest';

/** One sandbox to watch: its id and the container that holds its storage. */
export interface WatchedSandbox {
  id: string;
  container: string;
  volume: string;
}

/**
 * Measures, every `intervalMs`, the bytes each watched sandbox stores on the engine's disk: its
 * nested engine's volume and its container's writable layer. The measuring is done from outside
 * the sandbox (a read-only view of the engine's data directory, in a container of its own), so
 * nothing a student does inside the sandbox changes what is counted. A sandbox over the bound is
 * told so on its terminals and stopped; `onExceeded` lets the owner end its session.
 */
export class DiskWatchdog {
  readonly #docker: Docker;
  readonly quota: DiskQuota;
  readonly #watched = new Map<string, WatchedSandbox>();
  readonly #exceeded = new Set<string>();
  readonly #onExceeded: (id: string, usedBytes: number) => void;
  readonly #log: (line: string) => void;
  #timer: NodeJS.Timeout | undefined;
  #meter: Promise<{ id: string; root: string }> | undefined;
  #running = false;

  constructor(
    docker: Docker,
    quota: DiskQuota,
    opts: { onExceeded?: (id: string, usedBytes: number) => void; log?: (line: string) => void } = {},
  ) {
    this.#docker = docker;
    this.quota = quota;
    this.#onExceeded = opts.onExceeded ?? (() => {});
    this.#log = opts.log ?? (() => {});
  }

  /** Starts watching a sandbox (again after a restart of the service: it is measured anew). */
  watch(sandbox: WatchedSandbox): void {
    this.#watched.set(sandbox.id, sandbox);
    this.#timer ??= setInterval(() => void this.check(), this.quota.intervalMs).unref();
  }

  /** Stops watching a sandbox (removed); one the bound stopped stays marked as such. */
  unwatch(id: string): void {
    this.#watched.delete(id);
    if (this.#watched.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  /** The ids of the sandboxes being watched. */
  watching(): string[] {
    return [...this.#watched.keys()];
  }

  /** Whether the bound stopped this sandbox. */
  exceeded(id: string): boolean {
    return this.#exceeded.has(id);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Bytes each watched sandbox stores now, by sandbox id (a sandbox that could not be measured is left out). */
  async measure(): Promise<Map<string, number>> {
    const sizes = new Map<string, number>();
    const watched = [...this.#watched.values()];
    if (watched.length === 0) return sizes;
    const meter = await this.#ensureMeter();
    const paths: Array<{ id: string; path: string }> = [];
    for (const s of watched) {
      try {
        const info = await this.#docker.getContainer(s.container).inspect();
        const upper = (info.GraphDriver?.Data as Record<string, string> | undefined)?.UpperDir;
        const volume = await this.#docker.getVolume(s.volume).inspect();
        for (const p of [upper, volume.Mountpoint]) {
          if (p?.startsWith(meter.root + '/')) paths.push({ id: s.id, path: `/engine${p.slice(meter.root.length)}` });
        }
      } catch {
        // Gone meanwhile: nothing to measure.
      }
    }
    if (paths.length === 0) return sizes;
    // du -k: KiB of blocks actually used, a file's hard links counted once; -x stays on one filesystem.
    const result = await runInContainer(this.#docker, meter.id, ['du', '-skx', ...paths.map((p) => p.path)], {
      timeoutMs: Math.max(30_000, this.quota.intervalMs * 4),
      maxBytes: 1024 * 1024,
    });
    const kib = new Map<string, number>();
    for (const line of result.stdout.split('\n')) {
      const m = line.match(/^(\d+)\s+(.+)$/);
      if (m) kib.set(m[2]!, Number(m[1]));
    }
    for (const { id, path } of paths) {
      const k = kib.get(path);
      if (k !== undefined) sizes.set(id, (sizes.get(id) ?? 0) + k * 1024);
    }
    return sizes;
  }

  /** One pass: measures every watched sandbox and stops those over the bound. Never throws. */
  async check(): Promise<void> {
    if (this.#running) return; // a slow pass (a huge fill) is not stacked on
    this.#running = true;
    try {
      const sizes = await this.measure();
      for (const [id, used] of sizes) {
        if (used <= this.quota.bytes || this.#exceeded.has(id)) continue;
        const sandbox = this.#watched.get(id);
        if (!sandbox) continue;
        this.#exceeded.add(id);
        this.#log(`sandbox ${id} stores ${Math.round(used / 1048576)} MiB, over its ${Math.round(this.quota.bytes / 1048576)} MiB bound: stopped`);
        await this.#stopSandbox(sandbox);
        this.#onExceeded(id, used);
      }
    } catch (err) {
      // The meter may have been removed: look it up afresh next time.
      this.#meter = undefined;
      this.#log(`measuring sandboxes' disk use failed: ${(err as Error).message}`);
    } finally {
      this.#running = false;
    }
  }

  /** Tells every terminal of the sandbox why, then stops it for good (no restart by the engine). */
  async #stopSandbox(sandbox: WatchedSandbox): Promise<void> {
    const text = `\r\n\x1b[1;31m${diskQuotaMessage(this.quota.bytes)}\x1b[0m\r\n`;
    const script = 'for t in /dev/pts/[0-9]*; do printf "%s" "$1" > "$t" 2>/dev/null & done; sleep 0.3';
    await runInContainer(this.#docker, sandbox.container, ['sh', '-c', script, 'sh', text], { timeoutMs: 3000 }).catch(() => {});
    const container = this.#docker.getContainer(sandbox.container);
    await container.update({ RestartPolicy: { Name: 'no', MaximumRetryCount: 0 } }).catch(() => {});
    await container.stop({ t: 0 }).catch(() => {});
  }

  /** The shared read-only measuring container of this engine, created on first use. */
  #ensureMeter(): Promise<{ id: string; root: string }> {
    this.#meter ??= (async () => {
      const root = (await this.#docker.info()).DockerRootDir ?? '/var/lib/docker';
      const existing = this.#docker.getContainer(DISK_METER_CONTAINER);
      try {
        const info = await existing.inspect();
        if (info.HostConfig.Binds?.includes(`${root}:/engine:ro`)) {
          if (!info.State.Running) await existing.start();
          return { id: info.Id, root };
        }
        await existing.remove({ force: true });
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode !== 404) throw err;
      }
      try {
        const created = await this.#docker.createContainer({
          name: DISK_METER_CONTAINER,
          Image: METER_IMAGE,
          Cmd: ['sleep', '2147483647'],
          Labels: { [LABEL_MANAGED]: 'true', [LABEL_ROLE]: 'disk-meter', [LABEL_CREATED]: String(Date.now()) },
          NetworkDisabled: true,
          HostConfig: {
            Binds: [`${root}:/engine:ro`],
            NetworkMode: 'none',
            // Reading every sandbox's files needs nothing more than traversing folders it does not own.
            CapDrop: ['ALL'],
            CapAdd: ['DAC_READ_SEARCH'],
            SecurityOpt: ['no-new-privileges'],
            ReadonlyRootfs: true,
            Memory: 64 * 1024 * 1024,
            PidsLimit: 16,
            RestartPolicy: { Name: 'unless-stopped' },
          },
        });
        await created.start();
        return { id: created.id, root };
      } catch (err) {
        // Another service on this engine created it at the same moment: use theirs.
        if ((err as { statusCode?: number }).statusCode !== 409) throw err;
        const info = await existing.inspect();
        if (!info.State.Running) await existing.start();
        return { id: info.Id, root };
      }
    })().catch((err: unknown) => {
      this.#meter = undefined;
      throw err;
    });
    return this.#meter;
  }
}
