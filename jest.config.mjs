import { availableParallelism } from 'node:os';

/** Tests run on a fixed clock and TZ=UTC (see package.json), against real sqlite files and a real SMTP server. */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }] },
  setupFiles: ['reflect-metadata'],
  testTimeout: 20000,
  // Two test files at a time even on 2 cores (jest's own choice there is one): much of a file's
  // time is spent waiting for Chromium, PostgreSQL, the SMTP server or the disk. On 2 cores the
  // sqlite run took 436 s so, against 688 s one file at a time.
  maxWorkers: Math.max(2, availableParallelism() - 1),
};
