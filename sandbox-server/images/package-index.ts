import type Docker from 'dockerode';
import { INDEX_CONTAINER, INDEX_IMAGE, LABEL_MANAGED, LABEL_ROLE, MIRROR_NETWORK } from './labels.ts';
import { courseHostContainer, type MirrorState } from './mirror.ts';

/** Whether the package index container runs the current index image on the mirror network. */
export type IndexState = MirrorState;

/** Checks the index container with one list call; `imageId` is the engine's ID of the index image. */
export async function packageIndexState(docker: Docker, imageId: string | undefined): Promise<IndexState> {
  const c = await courseHostContainer(docker, INDEX_CONTAINER);
  if ('ready' in c) return c;
  if (!imageId) return { ready: false, reason: 'starts after its image is built' };
  if (c.ImageID !== imageId) return { ready: false, reason: 'runs an older index image (restart needed)' };
  return { ready: true };
}

/**
 * Starts the package index (`dockyard-index`, restart unless-stopped) from its current image on the mirror
 * network, replacing an older one; the sandbox driver joins it to every docker sandbox's network.
 */
export async function startPackageIndex(docker: Docker): Promise<void> {
  await docker.getContainer(INDEX_CONTAINER).remove({ force: true }).catch((err: { statusCode?: number }) => {
    if (err.statusCode !== 404) throw err;
  });
  const container = await docker.createContainer({
    name: INDEX_CONTAINER,
    Image: INDEX_IMAGE,
    Labels: { [LABEL_MANAGED]: 'true', [LABEL_ROLE]: 'package-index' },
    HostConfig: {
      NetworkMode: MIRROR_NETWORK,
      RestartPolicy: { Name: 'unless-stopped' },
      // Like the mirror, it joins every sandbox's internal network: it must never route between them or out.
      Sysctls: { 'net.ipv4.ip_forward': '0', 'net.ipv6.conf.all.forwarding': '0' },
    },
    NetworkingConfig: { EndpointsConfig: { [MIRROR_NETWORK]: { Aliases: [INDEX_CONTAINER] } } },
  });
  await container.start();
}
