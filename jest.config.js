export default {
  testEnvironment: 'node',
  injectGlobals: false,
  testMatch: ['<rootDir>/packages/*/test/**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  moduleNameMapper: {
    '^@zones/core$': '<rootDir>/packages/core/src/index.ts',
    '^@zones/core/(.*)$': '<rootDir>/packages/core/src/$1.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};
