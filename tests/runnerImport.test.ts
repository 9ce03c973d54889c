/** npm run experiment -- --data: distillation on an imported class folder and a CIFAR-format archive. */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, experiment, lastJson, script } from './cli';
import { importFromDisk } from '../src/node/dataSource';
import { tempDir, writeCifarArchive, writeClassFolder } from './importFixtures';

const CONFIG = 'teacher=resnet:4-8x1&student=resnet:4-8x1&method=mgd&steps=3&batch=8&eval=2';

function expectFiniteRun(out: { code: number; stdout: string; stderr: string }) {
  expect(out.code, out.stderr).toBe(0);
  const r = lastJson(out.stdout);
  expect(r.history).toHaveLength(3);
  for (const k of ['testAcc', 'trainAcc', 'loss', 'taskLoss', 'distillLoss', 'difference']) expect(Number.isFinite(r.final[k]), k).toBe(true);
  for (const m of r.history) expect(Number.isFinite(m.loss)).toBe(true);
  return r;
}

describe('runner on imported data', () => {
  it('distils on a generated class folder (32×32 RGB); the teacher trained for it is cached and reused', async () => {
    const root = writeClassFolder(tempDir('run-folder-'), { perClass: 12, bad: true });
    const args = ['--data', root, '--side', '32', '--config', CONFIG, '--teacher-epochs', '1', '--json'];
    // Clear a teacher an earlier run cached for the same content (the hash is the cache key).
    const { manifest } = await importFromDisk(root, { side: 32 });
    const cache = path.join(ROOT, '.cache/teachers', `import-${manifest.hash.slice(0, 12)}`);
    rmSync(cache, { recursive: true, force: true });
    const first = await experiment(args);
    const r = expectFiniteRun(first);
    expect(r.data.classNames).toEqual(['circle', 'square', 'stripes']);
    expect([r.data.side, r.data.channels, r.data.images.skipped]).toEqual([32, 3, 3]);
    expect(first.stderr).toMatch(/32×32×3, train 30 \/ test 6/);
    expect(r.data.hash).toBe(manifest.hash); // the runner's process hashes the content as this one does
    expect(first.stderr).toMatch(/not cached, training it on import-/);
    const second = await experiment(args);
    expectFiniteRun(second);
    expect(second.stderr).toMatch(/cached in/);
    expect(second.stderr).not.toMatch(/not cached/);
    expect(lastJson(second.stdout).final).toEqual(r.final);
    rmSync(cache, { recursive: true, force: true });
  }, 180_000);

  it('distils on a generated cifar-10-binary.tar.gz, brought to 48×48 grey', async () => {
    const archive = writeCifarArchive(tempDir('run-cifar-'), 'cifar10', 12);
    const out = await experiment(['--data', archive, '--side', '48', '--channels', '1', '--config', CONFIG, '--teacher-epochs', '1', '--json']);
    const r = expectFiniteRun(out);
    expect([r.data.source.format, r.data.side, r.data.channels, r.data.counts.train, r.data.counts.test]).toEqual(['cifar10', 48, 1, 60, 12]);
    expect(out.stderr).toMatch(/airplane|10 classes/);
    rmSync(path.join(ROOT, '.cache/teachers', `import-${r.data.hash.slice(0, 12)}`), { recursive: true, force: true });
  }, 180_000);

  it('refuses bad --data arguments with a message', async () => {
    const bad = await experiment(['--data', '/nonexistent/x.zip', '--config', CONFIG]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/\/nonexistent\/x.zip: no such file or folder/);
    const side = await experiment(['--data', '/tmp', '--side', '30', '--config', CONFIG]);
    expect(side.code).toBe(2);
    expect(side.stderr).toMatch(/--side "30": one of 28, 32, 48, 64/);
    const alone = await experiment(['--channels', '3', '--config', CONFIG]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/go with --data/);
  }, 60_000);
});

describe('npm run bench:import', () => {
  it('imports a generated CIFAR-format archive and prints its figures', async () => {
    const out = await script('bench-import', ['--images', '60', '--format', 'cifar']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^cifar: 60 images 32×32×3 \(train 50 \/ test 10\), archive [\d.]+ MiB/);
    expect(out.stdout).toMatch(/unpack [\d.]+ s, import [\d.]+ s, total [\d.]+ s; stored uint8 0\.2 MiB/);
    expect((await script('bench-import', ['--images', '61'])).code).not.toBe(0);
  }, 60_000);
});
