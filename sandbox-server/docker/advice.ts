/** What to tell a person when no Docker engine answers: why, and what to do about it. */
export function engineAdvice(address: string, error: string | undefined): string {
  return [
    `No Docker engine answers at ${address}${error ? ` (${error})` : ''}.`,
    'Lessons still work, but sandboxes and checks are off until an engine runs.',
    'Start one (`sudo systemctl start docker`, or `bash scripts/start-engine.sh` on a machine without systemd),',
    'or point DOCKER_HOST at a running engine. Dockyard notices within a few seconds; no restart needed.',
  ].join(' ');
}
