/** Tracks everything the bench creates (sessions, servers, containers) and removes it, even after a failure. */
import type Docker from 'dockerode';
import { LABEL_INSTANCE, LABEL_SANDBOX } from '../sandbox-server/base/names.ts';
import { SandboxDriver } from '../sandbox-server/docker/driver.ts';
import { listMarkers, markerName, removeMarker } from '../sandbox-server/sessions/markers.ts';
import type { RunningServer } from '../tests/support/server.ts';
import { deleteSession, type BenchSession } from './api-client.ts';
import { sessionContainer } from './sandbox-lookup.ts';

/** On every container the bench starts itself (baselines), so leftovers of an aborted run can be found. */
export const LABEL_BENCH = 'dockyard.bench';

/** The registry of live things; `releaseAll()` ends them in a safe order and reports what it could not. */
export class Cleanup {
  readonly docker: Docker;
  #sessions = new Map<string, BenchSession>();
  #servers = new Set<RunningServer>();
  #containers = new Set<string>();
  #instances = new Set<string>();
  #learned = new Set<string>();
  #driver: SandboxDriver;
  #stopping: string | undefined;

  constructor(docker: Docker) {
    this.docker = docker;
    this.#driver = new SandboxDriver(docker);
  }

  /** Asks every measurement to stop at its next checkpoint (after a signal). */
  stop(reason: string): void {
    this.#stopping ??= reason;
  }

  /** Whether `stop()` was called. */
  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  /** Throws once `stop()` was called, so a measurement ends before it creates anything more. */
  checkpoint(): void {
    if (this.#stopping) throw new Error(`interrupted (${this.#stopping})`);
  }

  /** Remembers a session until it is ended. */
  trackSession(session: BenchSession): void {
    this.#sessions.set(session.id, session);
  }

  /** Ends a session through the API and forgets it. */
  async endSession(session: BenchSession): Promise<void> {
    await deleteSession(session);
    this.#sessions.delete(session.id);
  }

  /** Remembers a server until it is stopped. */
  trackServer(server: RunningServer): void {
    this.#servers.add(server);
  }

  /** Stops a server (its warm pools drain) and removes anything its service instance left behind. */
  async stopServer(server: RunningServer): Promise<void> {
    await server.stop();
    this.#servers.delete(server);
    await this.#sweepInstances();
  }

  /** Remembers a container the bench started itself. */
  trackContainer(id: string): void {
    this.#containers.add(id);
  }

  /** Force-removes a container the bench started and forgets it. */
  async removeContainer(id: string): Promise<void> {
    await ignoreMissing(this.docker.getContainer(id).remove({ force: true, v: true }));
    this.#containers.delete(id);
  }

  /** Remembers a service instance id (label `dockyard.instance`) whose sandboxes are the bench's own. */
  trackInstance(instanceId: string | undefined): void {
    if (instanceId) this.#instances.add(instanceId);
  }

  /** Learns (once per server) the service instance behind `session`, so a crashed server's sandboxes can be swept. */
  async learnInstance(session: BenchSession): Promise<void> {
    if (this.#learned.has(session.baseUrl)) return;
    this.trackInstance((await sessionContainer(this.docker, session.id)).instanceId);
    this.#learned.add(session.baseUrl);
  }

  /** Removes containers labelled as the bench's own, left by an earlier, aborted run. */
  async removeLeftovers(): Promise<void> {
    const stale = await this.docker.listContainers({ all: true, filters: JSON.stringify({ label: [LABEL_BENCH] }) });
    for (const c of stale) await ignoreMissing(this.docker.getContainer(c.Id).remove({ force: true, v: true }));
  }

  /** Ends every session, stops every server and removes every container still tracked; returns the problems met. */
  async releaseAll(): Promise<string[]> {
    const problems: string[] = [];
    const attempt = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        problems.push(`${what}: ${(err as Error).message}`);
      }
    };
    const stranded: BenchSession[] = [];
    for (const session of [...this.#sessions.values()]) {
      try {
        await this.endSession(session);
      } catch {
        stranded.push(session);
      }
    }
    for (const server of [...this.#servers]) await attempt('stopping a server', () => server.stop());
    this.#servers.clear();
    // A session the API could not end (server gone): remove its sandbox and marker directly.
    for (const session of stranded) await attempt(`removing session ${session.id}`, () => this.#removeDirectly(session.id));
    this.#sessions.clear();
    await attempt('removing sandboxes of the bench servers', () => this.#sweepInstances());
    for (const id of [...this.#containers]) await attempt(`removing container ${id.slice(0, 12)}`, () => this.removeContainer(id));
    await attempt('removing leftover bench containers', () => this.removeLeftovers());
    return problems;
  }

  async #removeDirectly(sessionId: string): Promise<void> {
    let sandboxId: string | undefined;
    try {
      const volume = await this.docker.getVolume(markerName(sessionId)).inspect();
      sandboxId = volume.Labels?.['dockyard.session.sandboxId'];
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return;
      throw err;
    }
    if (sandboxId) await this.#driver.remove({ id: sandboxId });
    await removeMarker(this.docker, sessionId);
  }

  async #sweepInstances(): Promise<void> {
    if (this.#instances.size === 0) return;
    const objects = await this.#driver.listObjects();
    const ids = new Set<string>();
    for (const o of [...objects.containers, ...objects.volumes, ...objects.networks]) {
      const labels = o.Labels ?? {};
      const instance = labels[LABEL_INSTANCE];
      const id = labels[LABEL_SANDBOX];
      if (id && instance && this.#instances.has(instance)) ids.add(id);
    }
    for (const id of ids) await this.#driver.remove({ id });
    // A session whose 201 never reached the bench (interrupted mid-request) leaves a marker pointing at a swept sandbox.
    const { markers } = await listMarkers(this.docker);
    for (const marker of markers) if (ids.has(marker.sandboxId)) await removeMarker(this.docker, marker.id);
  }
}

async function ignoreMissing(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== 404 && status !== 409) throw err;
  }
}
