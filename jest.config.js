/**
 * Three tiers (see test/README.md):
 *  - unit:        *.spec.ts beside the code; fakes only at infrastructure boundaries.
 *  - integration: test/integration/**, real MongoDB-protocol server and Redis (and mediasoup).
 *  - e2e:         test/e2e/**, the real stack over HTTP/socket.io and headless Chromium.
 *  - web:         specs under apps/web/src, the browser client's unit tests (node, no browser).
 */
const swcTransform = ['@swc/jest', { swcrc: true }];
const moduleNameMapper = {
  '^@balai/(config|common|database|domain|queue|live-contract)$': '<rootDir>/libs/$1/src',
  '^@balai/(config|common|database|domain|queue|live-contract)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swcTransform },
  moduleNameMapper,
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/apps/web/'],
};

module.exports = {
  // Integration and browser tests boot real services on a shared 2-core machine; e2e files raise it further.
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/apps/*/src/**/*.spec.ts', '<rootDir>/libs/*/src/**/*.spec.ts'],
    },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'] },
    {
      // The browser client's pure parts (API client, dictionary, live reducer) in node with small browser stand-ins.
      ...base,
      displayName: 'web',
      testMatch: ['<rootDir>/apps/web/src/**/*.spec.ts?(x)'],
      // Preact ships ES modules only: compile it to CommonJS like the app's own files.
      transform: {
        '^.+\\.(t|j)sx?$|\\.mjs$': [
          '@swc/jest',
          { swcrc: true, jsc: { transform: { react: { runtime: 'automatic', importSource: 'preact' } } } },
        ],
      },
      transformIgnorePatterns: ['/node_modules/(?!preact/)'],
      setupFiles: ['<rootDir>/apps/web/test/browser-globals.ts'],
      modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/apps/web/dist/'],
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-retry.ts'],
    },
  ],
};
