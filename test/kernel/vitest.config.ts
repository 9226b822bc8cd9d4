import { defineConfig } from 'vitest/config';

// `npm run test:kernel`: the simulator against real kernels, brokers and clients in network
// namespaces (test/kernel/README.md). One file; its experiments run in parallel waves inside it.
export default defineConfig({
  test: {
    root: '.',
    include: ['test/kernel/**/*.test.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // kernel.test.ts (its own waves of namespaces) and the loopback broker tests run side by side.
    fileParallelism: true,
    pool: 'forks',
  },
});
