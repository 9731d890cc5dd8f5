/** Tests run on a fixed clock and TZ=UTC (see package.json), against real sqlite files and a real SMTP server. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }] },
  setupFiles: ['reflect-metadata'],
  testTimeout: 20000,
};
