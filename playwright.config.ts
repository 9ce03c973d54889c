/**
 * Browser end-to-end tests: Debian's Chromium (no Playwright browser download), headless, with
 * WebGPU enabled. Without a GPU, Chromium's WebGPU runs on SwiftShader: a real adapter
 * (isFallbackAdapter) at CPU speed, so tests use tiny configs. The background-networking
 * flags keep headless Chromium from hanging on first-run network fetches.
 *
 * The web server is Vite's dev server on 127.0.0.1 (a secure context: WebGPU works in the page
 * and its workers). Tests run one at a time: two CPU cores and a software GPU.
 *   npx playwright test                     all (≈ 4 min on two busy cores)
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
    command: `npx vite --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: BASE_URL,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
