import type Docker from 'dockerode';
import { CheckService } from '../sandbox-server/checkers/service.ts';
import { loadConfig } from '../sandbox-server/config.ts';
import { diskQuotaOf } from '../sandbox-server/docker/disk-quota.ts';
import { SandboxDriver } from '../sandbox-server/docker/driver.ts';
import { detectIsolation } from '../sandbox-server/sandboxes/isolation.ts';

/**
 * The check service of a command that checks outside the server (exercises:verify, grade, the bench): the one
 * sandbox driver of its process, with the isolation profile and disk bound the configuration names. No check pool.
 */
export async function commandCheckService(docker: Docker): Promise<CheckService> {
  const config = loadConfig();
  const driver = new SandboxDriver(docker, { diskQuota: diskQuotaOf(config.DOCKYARD_SANDBOX_DISK_MB) });
  driver.isolation = await detectIsolation(docker, config.DOCKYARD_ISOLATION);
  return new CheckService(driver);
}
