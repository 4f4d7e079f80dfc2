import { randomBytes } from 'node:crypto';
import { defineConfig } from 'vitest/config';

// One id per run names the template database; workers inherit it through the environment.
process.env.TINHSO_TEST_RUN ??= `${process.pid}_${randomBytes(3).toString('hex')}`;

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    // In CI a failed test runs once more; scripts/ci-failures.cjs lists every test that needed it, so an
    // intermittent failure stays visible without hiding the rest of the run behind it.
    retry: process.env.CI ? 1 : 0,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
