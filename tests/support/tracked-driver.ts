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
  let isolation: Promise<void> | undefined;
  const ready = () => (isolation ??= detectIsolation(docker).then((p) => void (driver.isolation = p)));

  /** Fails when any container, volume or network of a sandbox this driver created is still there. */
  async function expectNoneLeft(): Promise<void> {
    for (const id of created) {
      const filters = JSON.stringify({ label: [`${LABEL_SANDBOX}=${id}`] });
      const [c, v, n] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listVolumes({ filters }), docker.listNetworks({ filters })]);
      expect({ id, objects: c.length + (v.Volumes ?? []).length + n.length }).toEqual({ id, objects: 0 });
    }
  }

  return { docker, driver, created, ready, expectNoneLeft };
}
