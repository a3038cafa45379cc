export default {
  testEnvironment: 'node',
  injectGlobals: false,
  // Tests that run the CLIs spawn several Node processes; on two cores shared with the rest of the
  // suite, 5 s (jest's default) is reached by load alone.
  testTimeout: 30_000,
  testMatch: ['<rootDir>/packages/*/test/**/*.test.ts'],
  // The run fails when a test leaves a zone process, cgroup, mount or network link on the host.
  globalSetup: '<rootDir>/scripts/jest/setup.mjs',
  globalTeardown: '<rootDir>/scripts/jest/teardown.mjs',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  moduleNameMapper: {
    '^@zones/core$': '<rootDir>/packages/core/src/index.ts',
    '^@zones/core/(.*)$': '<rootDir>/packages/core/src/$1.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};
