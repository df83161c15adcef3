import type Docker from 'dockerode';
import { SandboxDriver } from '../../docker/driver.ts';
import { detectIsolation } from '../../sandboxes/isolation.ts';

const drivers = new WeakMap<Docker, Promise<SandboxDriver>>();

/** One sandbox driver per engine for checks, with the isolation profile the host allows (DOCKYARD_ISOLATION honoured). */
export function checkerDriver(docker: Docker): Promise<SandboxDriver> {
  let driver = drivers.get(docker);
  if (!driver) {
    driver = (async () => {
      const d = new SandboxDriver(docker);
      d.isolation = await detectIsolation(docker, process.env.DOCKYARD_ISOLATION);
      return d;
    })();
    driver.catch(() => drivers.delete(docker));
    drivers.set(docker, driver);
  }
  return driver;
}
