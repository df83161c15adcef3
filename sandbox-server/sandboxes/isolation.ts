import type Docker from 'dockerode';
import { LABEL_MANAGED, LABEL_ROLE } from '../images/labels.ts';
import { LABEL_CREATED } from '../docker/sandbox-labels.ts';
import { ISOLATION_PROFILES, SANDBOX_DOCKER_IMAGE, type IsolationProfile } from './docker-profile.ts';

/** What the engine's host allows, as far as nested engines are concerned. */
export interface HostAbilities {
  sysboxRuntime: boolean;
  privilegedWorks: boolean;
}

/** The best profile the host allows, or the operator's choice when `forced`. */
export function chooseIsolation(host: HostAbilities, forced?: IsolationProfile): IsolationProfile {
  if (forced) return forced;
  if (host.sysboxRuntime) return 'sysbox';
  if (host.privilegedWorks) return 'privileged';
  return 'capabilities';
}

/** Whether a privileged container starts on this engine (it fails where the host's bounding set is short). */
export async function privilegedWorks(docker: Docker, image = SANDBOX_DOCKER_IMAGE): Promise<boolean> {
  let container: Docker.Container | undefined;
  try {
    container = await docker.createContainer({
      Image: image,
      Entrypoint: ['true'],
      Labels: { [LABEL_MANAGED]: 'true', [LABEL_ROLE]: 'isolation-probe', [LABEL_CREATED]: String(Date.now()) },
      HostConfig: { Privileged: true, NetworkMode: 'none' },
    });
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    return StatusCode === 0;
  } catch {
    return false;
  } finally {
    await container?.remove({ force: true, v: true }).catch(() => {});
  }
}

/** Probes the engine's host and picks the isolation profile for docker sandboxes. */
export async function detectIsolation(docker: Docker, forced?: string): Promise<IsolationProfile> {
  if (forced && forced !== 'auto') {
    if (!(ISOLATION_PROFILES as readonly string[]).includes(forced)) {
      throw new Error(`DOCKYARD_ISOLATION must be auto or one of ${ISOLATION_PROFILES.join(', ')}, not "${forced}"`);
    }
    return forced as IsolationProfile;
  }
  const info = await docker.info();
  const sysboxRuntime = Object.keys((info as { Runtimes?: Record<string, unknown> }).Runtimes ?? {}).includes('sysbox-runc');
  return chooseIsolation({ sysboxRuntime, privilegedWorks: sysboxRuntime ? false : await privilegedWorks(docker) });
}
