/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

/** Two projects: `unit` (fakes, fast) and `integration` (real PostgreSQL and Redis). */
const transform = { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] };
// jose is ESM-only; Jest's CommonJS runtime needs it transformed.
const transformIgnorePatterns = ['/node_modules/(?!jose/)'];

const config: Config = {
  maxWorkers: 2,
  // Integration suites start servers and databases; Jest reads this only at the top level.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFiles: ['<rootDir>/test/support/block-network.ts'],
    },
  ],
};

export default config;
