import { randomBytes, randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { COURSE_HOSTS } from '../images/labels.ts';
import { LABEL_CREATED, LABEL_INSTANCE, LABEL_KEPT, LABEL_KIND, LABEL_MANAGED, LABEL_OWNER, LABEL_ROLE, LABEL_SANDBOX, type SandboxKind } from '../base/names.ts';
import { dockerSandboxCreateOptions, type IsolationProfile } from '../sandboxes/docker-profile.ts';
import { pythonSandboxCreateOptions } from '../sandboxes/python-profile.ts';
import { ensureHostFirewall, SANDBOX_BRIDGE_PREFIX } from './firewall.ts';
import { runInContainer, type RunResult } from './exec.ts';
import { ownerLabel } from './owner.ts';
import { DiskQuotaExceeded, DiskWatchdog, diskQuotaMessage, type DiskQuota } from './disk-quota.ts';
import { keptVolumes, listKept, removeKept, type KeptStorage } from './kept-storage.ts';

export type { SandboxKind } from '../base/names.ts';

/** Resource limits of one sandbox (everything it starts included). */
export interface SandboxLimits {
  memoryBytes: number;
  pidsLimit: number;
  cpus: number;
}

/** Default limits per kind. */
export const DEFAULT_LIMITS: Record<SandboxKind, SandboxLimits> = {
  docker: { memoryBytes: 1024 * 1024 * 1024, pidsLimit: 1024, cpus: 1 },
  python: { memoryBytes: 256 * 1024 * 1024, pidsLimit: 64, cpus: 1 },
};

/** A running sandbox container and the objects created with it. */
export interface Sandbox {
  id: string;
  kind: SandboxKind;
  containerId: string;
  /** Per-sandbox internal network shared with the mirror only (docker kind). */
  network?: string | undefined;
  /** Volume holding the nested engine's storage (docker kind). */
  volume?: string | undefined;
  /** The kept sandbox whose storage it runs on (a signed-in student's docker sandbox); its volumes outlive it. */
  kept?: string | undefined;
}

/** An interactive process started in a sandbox. */
export interface ExecSession {
  stream: Duplex;
  resize(cols: number, rows: number): Promise<void>;
  /** Exit code once the process ended, null while it runs. */
  exitCode(): Promise<number | null>;
  /** Ends the process (and its jobs) and the stream. */
  close(): Promise<void>;
}

export { runInContainer, type RunResult } from './exec.ts';
export { DiskQuotaExceeded, diskQuotaMessage, type DiskQuota } from './disk-quota.ts';

/** Labels of every object of sandbox `id`. */
function sandboxLabels(id: string, role: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...extra, [LABEL_MANAGED]: 'true', [LABEL_ROLE]: role, [LABEL_SANDBOX]: id };
}

/** Sandbox networks are /28 blocks of this range: 4096 of them. */
export const SANDBOX_SUBNET_RANGE = '10.213.0.0/16';

/** A random /28 block of the sandbox range. */
export function randomSandboxSubnet(): string {
  const block = randomInt(4096);
  return `10.213.${block >> 4}.${(block & 15) << 4}/28`;
}

/** Names of the objects of sandbox `id`. */
export function sandboxNames(id: string): { container: string; network: string; volume: string } {
  return { container: `dockyard-sbx-${id}`, network: `dockyard-sbx-${id}`, volume: `dockyard-sbx-${id}-docker` };
}

/**
 * Creates, runs and removes sandboxes on ONE engine. The engine is a parameter, so a
 * service can hold one driver per engine.
 */
export class SandboxDriver {
  readonly docker: Docker;
  readonly limits: Record<SandboxKind, SandboxLimits>;
  readonly readyTimeoutMs: number;

  readonly instanceId: string;
  /** How docker sandboxes get their rights; chosen at start-up from what the host allows. */
  isolation: IsolationProfile;
  /** Bounds each docker sandbox's storage on the engine's disk; undefined when the bound is off. */
  readonly disk: DiskWatchdog | undefined;
  #firewall: Promise<void> | undefined;
  #cgroupVersion: Promise<boolean> | undefined;

  constructor(
    docker: Docker,
    opts: {
      limits?: Partial<Record<SandboxKind, SandboxLimits>>;
      readyTimeoutMs?: number;
      instanceId?: string;
      isolation?: IsolationProfile;
      /** Disk bound of docker sandboxes (the service passes DOCKYARD_SANDBOX_DISK_MB's); none by default. */
      diskQuota?: DiskQuota | false;
      log?: (line: string) => void;
    } = {},
  ) {
    this.docker = docker;
    this.isolation = opts.isolation ?? 'capabilities';
    this.instanceId = opts.instanceId ?? randomBytes(8).toString('hex');
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
    const quota = opts.diskQuota ?? false;
    // A sandbox over its bound is stopped by the watchdog, then removed with its storage here:
    // the disk comes back at once, and its session ends at the reconciler's next pass.
    this.disk = quota
      ? new DiskWatchdog(docker, quota, { log: opts.log, onExceeded: (id) => void this.#removeOverBound(id).catch(() => {}) })
      : undefined;
  }

  /**
   * Creates a sandbox of `kind` and waits until it is ready; on any failure nothing is left behind (but `kept`
   * storage, which is the student's). A docker sandbox given `kept` runs on that storage: its nested engine's
   * images, containers and volumes and the work folder are the ones it had when it last ran.
   */
  async create(kind: SandboxKind, labels: Record<string, string> = {}, opts: { kept?: KeptStorage | undefined } = {}): Promise<Sandbox> {
    const id = randomBytes(8).toString('hex');
    const names = sandboxNames(id);
    const kept = kind === 'docker' ? opts.kept : undefined;
    const sandbox: Sandbox = { id, kind, containerId: '', kept: kept?.key };
    const origin = { [LABEL_INSTANCE]: this.instanceId, [LABEL_CREATED]: String(Date.now()), [LABEL_OWNER]: ownerLabel() };
    try {
      let options: Docker.ContainerCreateOptions;
      const containerLabels = sandboxLabels(id, `sandbox-${kind}`, {
        ...labels,
        ...origin,
        [LABEL_KIND]: kind,
        ...(kept ? { [LABEL_KEPT]: kept.key } : {}),
      });
      if (kind === 'docker') {
        await this.#ensureFirewall();
        await this.#createNetwork(names.network, {
          Driver: 'bridge',
          Internal: true,
          CheckDuplicate: true,
          Options: { 'com.docker.network.bridge.name': `${SANDBOX_BRIDGE_PREFIX}${id.slice(0, 12)}` },
          Labels: sandboxLabels(id, 'sandbox-network', origin),
        });
        sandbox.network = names.network;
        await this.connectMirror(sandbox);
        if (kept) sandbox.volume = kept.engineVolume;
        else {
          await this.docker.createVolume({ Name: names.volume, Labels: sandboxLabels(id, 'sandbox-storage', origin) });
          sandbox.volume = names.volume;
        }
        const limits = this.limits.docker;
        options = dockerSandboxCreateOptions({
          name: names.container,
          dockerDataVolume: sandbox.volume,
          workVolume: kept?.workVolume,
          memoryBytes: limits.memoryBytes,
          pidsLimit: limits.pidsLimit,
          network: names.network,
          labels: containerLabels,
          profile: this.isolation,
          cgroupV2: await this.#cgroupV2(),
        });
        // Names outside the sandbox's network (registry-1.docker.io…) get no answer on an internal network:
        // give up on them after a second instead of the resolver's default ten, or every pull waits for it.
        options.HostConfig = { ...options.HostConfig, NanoCpus: Math.round(limits.cpus * 1e9), DnsOptions: ['timeout:1', 'attempts:1'] };
      } else {
        const limits = this.limits.python;
        options = pythonSandboxCreateOptions({
          name: names.container,
          memoryBytes: limits.memoryBytes,
          pidsLimit: limits.pidsLimit,
          cpus: limits.cpus,
          workBytes: 64 * 1024 * 1024,
          labels: containerLabels,
        });
      }
      // After an engine restart the sandbox comes back with its storage, so the session survives.
      options.HostConfig = { ...options.HostConfig, RestartPolicy: { Name: 'unless-stopped' } };
      const container = await this.docker.createContainer(options);
      sandbox.containerId = container.id;
      await container.start();
      if (kind === 'docker') {
        await this.#waitReady(container.id);
        this.disk?.watch({ id, container: names.container, volume: sandbox.volume! });
      }
      return sandbox;
    } catch (err) {
      await this.remove(sandbox).catch(() => {});
      throw err;
    }
  }

  /** Removes a sandbox over its disk bound with its storage, kept storage included (the bound is the student's too). */
  async #removeOverBound(id: string): Promise<void> {
    const info = await this.docker.getContainer(sandboxNames(id).container).inspect().catch(() => undefined);
    await this.remove({ id });
    const key = info?.Config.Labels?.[LABEL_KEPT];
    if (key) await removeKept(this.docker, { ...keptVolumes(key), markers: (await listKept(this.docker)).find((e) => e.key === key)?.markers });
  }

  /** Removes the sandbox's container, its storage and its network (never kept storage); missing pieces are fine. */
  async remove(sandbox: Pick<Sandbox, 'id'>): Promise<void> {
    const names = sandboxNames(sandbox.id);
    this.disk?.unwatch(sandbox.id);
    const container = this.docker.getContainer(names.container);
    try {
      await ignoreMissing(container.remove({ force: true, v: true }));
    } catch (err) {
      // Another process sharing the engine (a second server's reconciler) is removing it: wait until it is gone.
      if (!/already in progress/i.test((err as Error).message)) throw err;
      for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
        if (!(await container.inspect().then(() => true, () => false))) break;
      }
    }
    await ignoreMissing(this.docker.getVolume(names.volume).remove());
    const network = this.docker.getNetwork(names.network);
    // Best effort: the network is removed next, and removal fails loudly if anything still holds it.
    for (const host of COURSE_HOSTS) await network.disconnect({ Container: host, Force: true }).catch(() => {});
    await ignoreMissing(network.remove());
  }

  /** Joins the course's hosts (the mirror, the package index) to the sandbox's network; already joined is fine. */
  async connectMirror(sandbox: Pick<Sandbox, 'id'>): Promise<void> {
    for (const host of COURSE_HOSTS) {
      try {
        await this.docker.getNetwork(sandboxNames(sandbox.id).network).connect({ Container: host });
      } catch (err) {
        const e = err as { statusCode?: number; message?: string };
        if (e.statusCode === 403 && /already exists/i.test(e.message ?? '')) continue;
        throw err;
      }
    }
  }

  /** Whether the sandbox's container exists and runs. */
  async isRunning(sandbox: Pick<Sandbox, 'id'>): Promise<boolean> {
    if (this.disk?.exceeded(sandbox.id)) return false;
    try {
      const info = await this.docker.getContainer(sandboxNames(sandbox.id).container).inspect();
      return info.State.Running;
    } catch {
      return false;
    }
  }

  /** Makes sure the sandbox's container runs, starting it if it stopped; false when it is gone or will not start. */
  async ensureRunning(sandbox: Pick<Sandbox, 'id'>): Promise<boolean> {
    if (this.disk?.exceeded(sandbox.id)) return false;
    const names = sandboxNames(sandbox.id);
    const container = this.docker.getContainer(names.container);
    try {
      const info = await container.inspect();
      const docker = info.Config.Labels?.[LABEL_KIND] === 'docker';
      if (!info.State.Running) {
        await container.start();
        if (docker) await this.#waitReady(info.Id);
      }
      // A sandbox adopted after a restart of the service is bounded like a new one.
      const kept = info.Config.Labels?.[LABEL_KEPT];
      if (docker) this.disk?.watch({ id: sandbox.id, container: names.container, volume: kept ? keptVolumes(kept).engineVolume : names.volume });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Freezes every process of the sandbox (the cgroup freezer, `docker pause`): it keeps its memory and state and uses
   * no CPU until thawed. Already frozen is fine.
   */
  async freeze(sandbox: Pick<Sandbox, 'id'>): Promise<void> {
    await ignoreConflict(this.docker.getContainer(sandboxNames(sandbox.id).container).pause());
  }

  /** Thaws a frozen sandbox (`docker unpause`); not frozen is fine. Resolves to the milliseconds it took. */
  async thaw(sandbox: Pick<Sandbox, 'id'>): Promise<number> {
    const started = performance.now();
    await ignoreConflict(this.docker.getContainer(sandboxNames(sandbox.id).container).unpause());
    return performance.now() - started;
  }

  /** Whether the sandbox's container is frozen now. */
  async isFrozen(sandbox: Pick<Sandbox, 'id'>): Promise<boolean> {
    const info = await this.docker.getContainer(sandboxNames(sandbox.id).container).inspect();
    return info.State.Paused;
  }

  /** Starts an interactive TTY process (a login shell by default) in the sandbox. */
  async openTty(sandbox: Sandbox, opts: { cols: number; rows: number; cmd?: string[] }): Promise<ExecSession> {
    if (this.disk?.exceeded(sandbox.id)) throw new DiskQuotaExceeded(diskQuotaMessage(this.disk.quota.bytes));
    const container = this.docker.getContainer(sandbox.containerId);
    // The engine keeps a TTY process alive when its client goes; a tag in its environment lets us end it.
    const tag = randomBytes(8).toString('hex');
    const cmd = opts.cmd ?? ['bash', '-l'];
    const exec = await container.exec({
      // A docker sandbox's student shell gives up the nested engine's rights (see dockyard-shell).
      Cmd: sandbox.kind === 'docker' ? ['dockyard-shell', ...cmd] : cmd,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      Env: ['TERM=xterm-256color', `COLUMNS=${opts.cols}`, `LINES=${opts.rows}`, `DOCKYARD_TTY=${tag}`],
    });
    const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
    await exec.resize({ w: opts.cols, h: opts.rows }).catch(() => {});
    return {
      stream,
      resize: async (cols, rows) => {
        await exec.resize({ w: cols, h: rows });
      },
      exitCode: async () => {
        const info = await exec.inspect();
        return info.Running ? null : info.ExitCode;
      },
      close: async () => {
        stream.destroy();
        // SIGHUP, as a closed terminal sends: the shell passes it on to its jobs and exits.
        const script = `for p in /proc/[0-9]*; do grep -qxz 'DOCKYARD_TTY=${tag}' "$p/environ" 2>/dev/null && kill -HUP "\${p#/proc/}"; done; true`;
        await runInContainer(this.docker, sandbox.containerId, ['sh', '-c', script], { timeoutMs: 10_000 }).catch(() => {});
      },
    };
  }

  /** Runs `cmd` in the sandbox to completion and returns its output (capped at `maxBytes` per stream). */
  async run(sandbox: Pick<Sandbox, 'containerId'>, cmd: string[], opts: { timeoutMs?: number; maxBytes?: number } = {}): Promise<RunResult> {
    return runInContainer(this.docker, sandbox.containerId, cmd, opts);
  }

  /** Every container, volume and network of any sandbox on this engine, by sandbox id. */
  async listObjects(): Promise<{ containers: Docker.ContainerInfo[]; volumes: Docker.VolumeInspectInfo[]; networks: Docker.NetworkInspectInfo[] }> {
    const filters = JSON.stringify({ label: [`${LABEL_MANAGED}=true`, LABEL_SANDBOX] });
    const [containers, volumes, networks] = await Promise.all([
      this.docker.listContainers({ all: true, filters }),
      this.docker.listVolumes({ filters }),
      this.docker.listNetworks({ filters }),
    ]);
    return { containers, volumes: volumes.Volumes ?? [], networks };
  }

  /**
   * Creates a sandbox network on a /28 of its own from the sandbox range: the engine's default
   * pools hold about thirty networks, far fewer than a class of sandboxes.
   */
  async #createNetwork(name: string, options: Omit<Docker.NetworkCreateOptions, 'Name' | 'IPAM'>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.docker.createNetwork({ ...options, Name: name, IPAM: { Driver: 'default', Config: [{ Subnet: randomSandboxSubnet() }] } });
        return;
      } catch (err) {
        // Another sandbox (or anything else on the host) already has that block: draw another.
        if (attempt >= 8 || !/overlap/i.test((err as Error).message)) throw err;
      }
    }
  }

  /** Whether the engine's host uses cgroup v2 (asked once). */
  #cgroupV2(): Promise<boolean> {
    this.#cgroupVersion ??= this.docker.info().then(
      (info: { CgroupVersion?: string }) => info.CgroupVersion === '2',
      (err: unknown) => {
        this.#cgroupVersion = undefined;
        throw err;
      },
    );
    return this.#cgroupVersion;
  }

  /** Installs the host firewall once per driver (again after a failure). */
  #ensureFirewall(): Promise<void> {
    this.#firewall ??= ensureHostFirewall(this.docker).catch((err: unknown) => {
      this.#firewall = undefined;
      throw err;
    });
    return this.#firewall;
  }

  async #waitReady(containerId: string): Promise<void> {
    const deadline = Date.now() + this.readyTimeoutMs;
    for (;;) {
      // On a loaded engine one probe may take longer than its own timeout: that is "not yet", not a failure.
      const result = await runInContainer(this.docker, containerId, ['dockyard-ready'], { timeoutMs: 5000 }).catch(() => undefined);
      if (result?.exitCode === 0) return;
      const info = await this.docker.getContainer(containerId).inspect();
      if (!info.State.Running) {
        const logs = await this.docker.getContainer(containerId).logs({ stdout: true, stderr: true, tail: 20 });
        throw new Error(`sandbox exited before its engine was ready: ${logs.toString('utf8').slice(-1000)}`);
      }
      if (Date.now() > deadline) throw new Error(`sandbox not ready within ${this.readyTimeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Pausing a paused container or unpausing one that is not fails (409, or 500 on some engines): the state asked for holds already. */
async function ignoreConflict(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!/already paused|is not paused/i.test((err as Error).message)) throw err;
  }
}

async function ignoreMissing(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 404 || status === 304) return;
    throw err;
  }
}
