import type Docker from 'dockerode';
import { LABEL_CREATED, LABEL_MANAGED, LABEL_ROLE } from '../base/names.ts';
import { SANDBOX_DOCKER_IMAGE } from '../sandboxes/docker-profile.ts';
import { runInContainer } from './exec.ts';

/** Sandbox networks' bridges are named with this prefix (at most 15 characters in all). */
export const SANDBOX_BRIDGE_PREFIX = 'dys';

/**
 * The rules that keep sandboxes off the engine's host: an internal network has no route
 * out, but the host itself answers on the bridge's address, so everything a sandbox bridge
 * sends to the host is dropped (the course API, the engine's TCP port, any host service).
 */
export function hostFirewallScript(prefix = SANDBOX_BRIDGE_PREFIX): string {
  const rule = `INPUT -i ${prefix}+ -j DROP`;
  return [
    'set -e',
    `iptables -C ${rule} 2>/dev/null || iptables -I ${rule}`,
    `if ip6tables -L INPUT >/dev/null 2>&1; then ip6tables -C ${rule} 2>/dev/null || ip6tables -I ${rule}; fi`,
    'echo firewall-ok',
  ].join('\n');
}

/**
 * Installs the host rules on the engine's host, whichever machine that is, from a
 * short-lived container in the host's network namespace. Idempotent.
 */
export async function ensureHostFirewall(docker: Docker): Promise<void> {
  const container = await docker.createContainer({
    Image: SANDBOX_DOCKER_IMAGE,
    Entrypoint: ['sleep', '60'],
    Labels: { [LABEL_MANAGED]: 'true', [LABEL_ROLE]: 'host-firewall', [LABEL_CREATED]: String(Date.now()) },
    HostConfig: { NetworkMode: 'host', CapAdd: ['NET_ADMIN', 'NET_RAW'], AutoRemove: false },
  });
  try {
    await container.start();
    const result = await runInContainer(docker, container.id, ['sh', '-c', hostFirewallScript()], { timeoutMs: 20_000 });
    if (result.exitCode !== 0 || !result.stdout.includes('firewall-ok')) {
      throw new Error(`could not install the sandbox firewall on the engine's host: ${result.stderr.trim() || result.stdout.trim()}`);
    }
  } finally {
    await container.remove({ force: true, v: true }).catch(() => {});
  }
}
