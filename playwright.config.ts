import { defineConfig } from '@playwright/test';

/** Port the e2e server listens on, apart from the default so a running course is not disturbed. */
const PORT = Number(process.env.DOCKYARD_E2E_PORT ?? 4399);

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
  webServer: {
    // The real start path: builds the site if needed, then serves site and API on one port.
    command: 'node sandbox-server/main.ts',
    // The home page, not /api/health: health rightly answers 503 on a machine without an engine.
    url: `http://127.0.0.1:${PORT}/`,
    // Every browser test is the same client (127.0.0.1): allow it more than a student's three sessions and two checks.
    env: { PORT: String(PORT), HOST: '127.0.0.1', DOCKYARD_MAX_SESSIONS_PER_CLIENT: '20', DOCKYARD_MAX_CHECKS_PER_CLIENT: '20' },
    reuseExistingServer: false,
    // SIGTERM, not the default SIGKILL: the server then removes its warm and check pools before it exits.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 45_000 },
    timeout: 180_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
