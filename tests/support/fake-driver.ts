import type { Sandbox, SandboxDriver, SandboxKind } from '../../sandbox-server/docker/driver.ts';

/**
 * For unit tests of sessions and pools: a driver that keeps sandboxes in memory (with the labels each
 * was made with) and session markers in a set; the bookkeeping around it is what is under test.
 */
export function fakeDriver(opts: { failMarker?: boolean; createDelayMs?: number } = {}) {
  const live = new Map<string, Record<string, string>>();
  const removed: string[] = [];
  const markers = new Set<string>();
  /** Sandboxes frozen now. */
  const frozen = new Set<string>();
  let n = 0;
  const driver = {
    instanceId: 'test',
    docker: {
      createVolume: async ({ Name }: { Name: string }) => {
        if (opts.failMarker) throw new Error('engine said no');
        markers.add(Name);
      },
      getVolume: (name: string) => ({ remove: async () => void markers.delete(name) }),
    },
    async create(kind: SandboxKind, labels: Record<string, string> = {}): Promise<Sandbox> {
      await new Promise((r) => setTimeout(r, opts.createDelayMs ?? 0));
      const id = `sbx${++n}`;
      live.set(id, labels);
      return { id, kind, containerId: `c-${id}` };
    },
    async remove(s: { id: string }) {
      live.delete(s.id);
      frozen.delete(s.id);
      removed.push(s.id);
    },
    async isRunning(s: { id: string }) {
      return live.has(s.id);
    },
    async freeze(s: { id: string }) {
      if (live.has(s.id)) frozen.add(s.id);
    },
    async isFrozen(s: { id: string }) {
      return frozen.has(s.id);
    },
    async thaw(s: { id: string }) {
      frozen.delete(s.id);
      return 1;
    },
  };
  return { driver: driver as unknown as SandboxDriver, live, removed, markers, frozen };
}
