import { defineConfig } from 'vitest/config';

// `npm run test:brokers`: the simulator against real brokers (mosquitto, aedes) in real time.
// The experiments of one file run concurrently inside it; files run one after another so the
// timing-sensitive comparison does not compete with the proxy self-tests for the CPU.
export default defineConfig({
  test: {
    root: '.',
    include: ['test/brokers/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
