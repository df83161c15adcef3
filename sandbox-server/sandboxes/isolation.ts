import type Docker from 'dockerode';
import { ISOLATION_PROFILES, type IsolationProfile } from './docker-profile.ts';

/** What the engine's host allows, as far as nested engines are concerned. */
export interface HostAbilities {
  sysboxRuntime: boolean;
}

/**
 * The best profile the host allows, or the operator's choice when `forced`: sysbox where its
 * runtime is installed, the capability profile everywhere else. `--privileged` is never chosen,
 * even where it works: a privileged sandbox sees and opens every device of the host.
 */
export function chooseIsolation(host: HostAbilities, forced?: IsolationProfile): IsolationProfile {
  if (forced) return forced;
  return host.sysboxRuntime ? 'sysbox' : 'capabilities';
}

/** Why `DOCKYARD_ISOLATION=privileged` is refused. */
export const PRIVILEGED_REFUSED =
  'DOCKYARD_ISOLATION=privileged is not offered: a privileged sandbox can open the host\'s disks and devices. ' +
  'Use sysbox (install the sysbox runtime) or capabilities.';

/** Probes the engine's host and picks the isolation profile for docker sandboxes. */
export async function detectIsolation(docker: Docker, forced?: string): Promise<IsolationProfile> {
  if (forced && forced !== 'auto') {
    if (forced === 'privileged') throw new Error(PRIVILEGED_REFUSED);
    if (!(ISOLATION_PROFILES as readonly string[]).includes(forced)) {
      throw new Error(`DOCKYARD_ISOLATION must be auto or one of ${ISOLATION_PROFILES.join(', ')}, not "${forced}"`);
    }
    return forced as IsolationProfile;
  }
  const info = await docker.info();
  const sysboxRuntime = Object.keys((info as { Runtimes?: Record<string, unknown> }).Runtimes ?? {}).includes('sysbox-runc');
  return chooseIsolation({ sysboxRuntime });
}
