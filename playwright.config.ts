/**
 * Browser end-to-end tests: Debian's Chromium (no Playwright browser download), headless, with
 * WebGPU enabled. Without a GPU, Chromium's WebGPU runs on SwiftShader: a real adapter
 * (isFallbackAdapter) at CPU speed, so tests use tiny configs. The background-networking
 * flags keep headless Chromium from hanging on first-run network fetches.
 *
 * The web server serves the production bundle built with `--mode e2e` (vite.config.ts: the test
 * hooks and the kernels page on) through `vite preview`, on 127.0.0.1 (a secure context: WebGPU
 * works in the page and its workers), with the headers `npm start` sends, strict CSP included.
 * A page and its worker start in a third of the dev server's time (one bundle instead of
 * hundreds of modules and a 20 MB unminified tfjs), and the tests exercise what users get.
 * Tests run one at a time: two CPU cores and a software GPU.
 *   npx playwright test                     all (≈ 15 min on two cores)
 *   npx playwright test --project app       everything but the WebGPU training test
 */
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 5199);
const BASE_URL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 30_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: BASE_URL,
    headless: true,
    viewport: { width: 1280, height: 900 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--enable-unsafe-webgpu',
        '--no-sandbox',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'app', testIgnore: /webgpu-training\.spec\.ts/ },
    // Last, in a browser of its own: see the comment in that file.
    { name: 'webgpu-training', testMatch: /webgpu-training\.spec\.ts/, dependencies: ['app'] },
  ],
  webServer: {
    command: `npx vite build --mode e2e --outDir dist-e2e --logLevel error && npx vite preview --mode e2e --outDir dist-e2e --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: BASE_URL,
    reuseExistingServer: !process.env.CI,
    timeout: 300_000, // the build, on two busy cores
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
