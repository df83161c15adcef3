import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['sandbox-server/**/*.test.ts', 'site/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts', 'tests/support/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          // Checks start whole sandboxes: on a 2-core machine more than two at once only slows each past its limit.
          maxConcurrency: 2,
        },
      },
    ],
  },
});
