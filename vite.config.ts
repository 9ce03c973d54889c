/// <reference types="vitest/config" />
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicyMeta } from './build/contentSecurityPolicy';
import { selfContainedWasmFactory } from './build/selfContainedWasmFactory';

/**
 * Every response header the app needs, in one place: the dev server (`npm run dev`, the
 * Playwright server) and `vite preview` (`npm start`) both send it, and static hosting must
 * send the same (README, "Cross-origin isolation"). COOP + COEP make the page and its worker
 * cross-origin isolated, which SharedArrayBuffer and so the threaded wasm backend require;
 * everything the page loads is same-origin (scripts, workers, .wasm, data), so require-corp
 * blocks nothing of ours.
 */
export const RESPONSE_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * `vite build --mode e2e` (the Playwright server, playwright.config.ts): the production bundle
 * with the test hooks on (import.meta.env.MODE ≠ 'production': window.__distill, fault
 * injection) and the kernels page beside index.html. `npm run build` has neither.
 */
const E2E_INPUTS = { index: 'index.html', kernels: 'src/bench/kernels.html' };

export default defineConfig(({ mode }) => ({
  plugins: [react(), contentSecurityPolicyMeta()],
  server: { headers: RESPONSE_HEADERS },
  preview: { headers: { ...RESPONSE_HEADERS, 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
  worker: { format: 'es', plugins: () => [selfContainedWasmFactory()] },
  ...(mode === 'e2e' && { build: { rollupOptions: { input: E2E_INPUTS } } }),
  // Pre-bundle the worker's dependencies up front: tfjs-backend-wasm's ESM entry imports a
  // CommonJS file that only works pre-bundled, and discovering them late reloads the page.
  optimizeDeps: { entries: ['index.html', 'src/worker/worker.ts'] },
  test: {
    include: ['tests/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One fork per core (Vitest's default leaves one core idle): the slow files train nets on
    // one JS thread each, so two cores run the suite in 0.6× the time.
    maxWorkers: availableParallelism(),
  },
}));
