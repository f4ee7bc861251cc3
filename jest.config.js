/**
 * Jest with @swc/jest: TypeScript is transpiled, not type-checked (tsc --noEmit does that in npm test).
 * One worker per core. The reference app is synthesized once per run (support/global-setup.ts), and
 * the run fails if a test leaves a temporary folder behind (support/global-teardown.ts).
 */
const os = require('node:os');

// The AWS SDK's notice that Node.js 20 nears its end of support is not a test result (workers inherit this).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  testTimeout: 30000,
  maxWorkers: Math.max(1, os.availableParallelism()),
  globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
