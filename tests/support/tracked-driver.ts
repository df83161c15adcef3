import { expect } from 'vitest';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { LABEL_SANDBOX } from '../../sandbox-server/base/names.ts';
import { SandboxDriver } from '../../sandbox-server/docker/driver.ts';
import { detectIsolation } from '../../sandbox-server/sandboxes/isolation.ts';

/**
 * A sandbox driver on the real engine that remembers every sandbox it creates, so a checker test
 * can prove afterwards that nothing of them is left. `ready()` sets the isolation profile the
 * server would pick, once.
 */
export function trackedDriver() {
  const docker = connectEngine();
  const driver = new SandboxDriver(docker);
  const created: string[] = [];
  const create = driver.create.bind(driver);
  driver.create = async (...args) => {
    const sandbox = await create(...args);
    created.push(sandbox.id);
    return sandbox;
  };
  // Checks remove their sandbox after answering: remember each removal so a test can wait for it.
  const removals: Promise<unknown>[] = [];
  const remove = driver.remove.bind(driver);
  driver.remove = (...args) => {
    const removal = remove(...args);
    removals.push(removal.catch(() => undefined));
    return removal;
  };
  /** Waits for every removal started so far (a check's sandbox goes after its verdict). */
  const settled = async () => {
    while (removals.length) await removals.shift();
  };
  let isolation: Promise<void> | undefined;
  const ready = () => (isolation ??= detectIsolation(docker).then((p) => void (driver.isolation = p)));

  /** Fails when any container, volume or network of a sandbox this driver created is still there. */
  async function expectNoneLeft(): Promise<void> {
    await settled();
    for (const id of created) {
      const filters = JSON.stringify({ label: [`${LABEL_SANDBOX}=${id}`] });
      const [c, v, n] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listVolumes({ filters }), docker.listNetworks({ filters })]);
      expect({ id, objects: c.length + (v.Volumes ?? []).length + n.length }).toEqual({ id, objects: 0 });
    }
  }

  return { docker, driver, created, ready, settled, expectNoneLeft };
}
