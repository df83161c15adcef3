import { defineConfig } from '@playwright/test';

/** Port the e2e server listens on, apart from the default so a running course is not disturbed. */
const PORT = Number(process.env.DOCKYARD_E2E_PORT ?? 4399);
/** The OpenID provider the institutional sign-in goes to (tests/e2e/oidc-provider-server.ts), on the next port. */
const OIDC_PORT = PORT + 1;
/** Its client, as tests/support/oidc-provider.ts registers it. */
const OIDC = {
  DOCKYARD_OIDC_ISSUER: `http://127.0.0.1:${OIDC_PORT}`,
  DOCKYARD_OIDC_CLIENT_ID: 'dockyard-test',
  DOCKYARD_OIDC_CLIENT_SECRET: 'a-client-secret-of-the-test-provider',
  DOCKYARD_OIDC_NAME: 'Example University',
};

export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/e2e/global-setup.ts',
  globalTeardown: './tests/e2e/global-teardown.ts',
  outputDir: 'test-results',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: [
    {
      command: `node tests/e2e/oidc-provider-server.ts ${OIDC_PORT} http://127.0.0.1:${PORT}/api/auth/oidc/callback`,
      url: `http://127.0.0.1:${OIDC_PORT}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      // The real start path: builds the site if needed, then serves site and API on one port.
      command: 'node sandbox-server/main.ts',
      // The home page, not /api/health: health rightly answers 503 on a machine without an engine.
      url: `http://127.0.0.1:${PORT}/`,
      // Every browser test is the same client (127.0.0.1): allow it more than a student's three sessions and two checks.
      env: { PORT: String(PORT), HOST: '127.0.0.1', DOCKYARD_MAX_SESSIONS_PER_CLIENT: '20', DOCKYARD_MAX_CHECKS_PER_CLIENT: '20', ...OIDC },
      reuseExistingServer: false,
      // SIGTERM, not the default SIGKILL: the server then removes its warm and check pools before it exits.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 45_000 },
      timeout: 180_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
});
