/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  // Pre-bundle the worker's dependencies up front: tfjs-backend-wasm's ESM entry imports a
  // CommonJS file that only works pre-bundled, and discovering them late reloads the page.
  optimizeDeps: { entries: ['index.html', 'src/worker/worker.ts'] },
  test: {
    include: ['tests/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
