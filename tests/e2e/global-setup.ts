/** Notes when the browser tests started, so the teardown can end exactly the sessions they created. */
export default function globalSetup(): void {
  process.env.DOCKYARD_E2E_STARTED_AT = String(Date.now());
}
