/**
 * "Open in PyTorch": the Export menu downloads the experiment as a .zip (no run needed); unpacked,
 * it holds the project, its initial state and the data, and `python3 train.py --replay --steps 2`
 * runs when /usr/bin/python3 has torch. H-GKD runs have no Export menu, so no button.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { expect, test, tiny } from './fixtures';

const PYTHON = '/usr/bin/python3';
const hasTorch = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

test('Open in PyTorch: the zip unpacks to a project that replays', async ({ playground: pg }) => {
  test.setTimeout(180_000);
  await pg.open(tiny({ backend: 'wasm', method: 'mgd', dataset: 'mnist', seed: 5 }));
  await pg.backend();
  const [zip] = await pg.downloads(() => pg.button('Open in PyTorch').click()); // enabled before any run
  expect(zip.name).toBe('pytorch-mgd-mnist-seed5.zip');
  await expect(pg.page.getByRole('status').filter({ hasText: 'saved pytorch-mgd-mnist-seed5.zip' })).toBeVisible();

  const dir = mkdtempSync(path.join(tmpdir(), 'pt-e2e-'));
  for (const [name, bytes] of Object.entries(unzipSync(new Uint8Array(zip.bytes)))) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), bytes);
  }
  const root = path.join(dir, 'pytorch-mgd-mnist-seed5');
  for (const f of ['README.md', 'models.py', 'losses.py', 'train.py', 'config.json', 'mmrazor_config.py', 'weights/teacher.safetensors', 'weights/student_init.safetensors', 'weights/heads_init.safetensors', 'weights/replay.safetensors', 'data/manifest.json', 'data/mnist-train.bin.gz', 'data/mnist-test.bin.gz']) {
    expect(existsSync(path.join(root, f)), f).toBe(true);
  }
  expect(readFileSync(path.join(root, 'README.md'), 'utf8').split('\n').slice(0, 2)).toEqual(['python train.py', 'torchrun --nproc_per_node=<GPUs> train.py']);
  const cj = JSON.parse(readFileSync(path.join(root, 'config.json'), 'utf8'));
  expect(cj.config).toMatchObject({ method: 'mgd', seed: 5, batch: 8, subset: 64 });
  expect(cj.url).toContain('seed=5');

  test.skip(!hasTorch, `${PYTHON} has no torch: the replay run is skipped`);
  const out = execFileSync(PYTHON, ['train.py', '--replay', '--steps', '2', '--device', 'cpu', '--metrics', 'm.jsonl', '--test-limit', '100'], { cwd: root, encoding: 'utf8' });
  expect(out).toContain('done: 2 steps');
  const rows = readFileSync(path.join(root, 'm.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(rows.map((r: { step: number }) => r.step)).toEqual([1, 2]);
  expect(Number.isFinite(rows[0].loss)).toBe(true);
});

test('Open in PyTorch: not offered for H-GKD (the exporter cannot express it; tests/pytorchExport.test.ts checks its message)', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm', method: 'hgkd' }));
  await pg.backend();
  await expect(pg.page.getByRole('button', { name: 'Open in PyTorch' })).toHaveCount(0);
});
