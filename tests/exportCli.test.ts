/**
 * npm run export as a user runs it: it trains as npm run experiment does (same progress lines,
 * same final accuracy for the same config) and writes files that onnxruntime-web and
 * tf.loadLayersModel load; the ONNX student scores the accuracy its metadata states on the
 * full test set; `--model teacher` writes the run's teacher (the engine's logits in
 * onnxruntime); `--format pytorch` writes a project whose train.py --replay (/usr/bin/python3
 * with torch) reproduces the engine's first step. Bad arguments exit 2 naming the cause,
 * before any training.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { parseConfigStrict } from '../src/core/config';
import { initNodeBackend } from '../src/node/backend';
import { nodeDataset, nodeDataSources } from '../src/node/dataSource';
import { nodeTeacher } from '../src/node/teacherStore';
import { evaluateNet } from '../src/core/train/trainer';
import { experiment, lastJson, script } from './cli';
import { compareLogits, engineLogits, layersLogits, loadLayersFromFiles, onnxLogits, onnxSession, testImages } from './exportRuntimes';
import { engineSteps, relErr, torchMissing, trainPy } from './pytorchHarness';

const CONFIG = 'student=resnet-xs&teacher=resnet-s&method=mgd&steps=12&batch=16&subset=128&eval=5&testSize=100&seed=3&finalTest=full'; // full: the test scores the file on the whole test set
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'export-cli-'));
  await initNodeBackend('wasm');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The runner's step lines (the `\r`-separated progress), without timings. */
const progress = (stderr: string) => stderr.split(/[\r\n]/).filter((l) => /^\s*(run:|step \d)/.test(l)).map((l) => l.trim());

describe('npm run export', () => {
  it('onnx: trains like the runner, and the file scores the stated accuracy on the full test set', async () => {
    const out = path.join(dir, 'sub', 'student.onnx');
    const [exp, run] = [await script('export', ['--config', CONFIG, '--format', 'onnx', '--out', out]), await experiment(['--config', CONFIG, '--json'])];
    expect(exp.code, exp.stderr).toBe(0);
    expect(exp.stdout).toMatch(/wrote .*student\.onnx \(ONNX, \d+ KiB\) \(resnet-xs, test \d+\.\d\d%\)/);
    expect(progress(exp.stderr)).toEqual(progress(run.stderr));
    expect(progress(exp.stderr)).toContain('run: mgd seed=3');
    const result = lastJson(run.stdout);

    const bytes = new Uint8Array(await readFile(out));
    const meta = Object.fromEntries(onnxProto.onnx.ModelProto.decode(bytes).metadataProps.map((p) => [p.key, p.value]));
    expect(Number(meta.test_accuracy)).toBe(result.final.testAcc);
    expect(meta.playground_url).toMatch(/^http:\/\/127\.0\.0\.1:5173\/\?/);
    expect(parseConfigStrict(meta.playground_url)).toEqual(result.config); // the link reproduces the run
    expect(meta).toMatchObject({ dataset: 'mnist', architecture: 'resnet:8-16-32x1', role: 'student' });

    // Full test set through onnxruntime: top-1 accuracy = the engine's final evaluation.
    const test = (await nodeDataset('mnist')).test;
    const session = await onnxSession(bytes);
    let correct = 0;
    for (let start = 0; start < test.count; start += 1000) {
      const n = Math.min(1000, test.count - start);
      const pixels = new Float32Array(n * 784);
      for (let i = 0; i < n; i++) pixels.set(Float32Array.from(test.pixels(start + i), (p) => p / 255), i * 784);
      const logits = await onnxLogits(session, pixels, [n, 28, 28, 1]);
      for (let i = 0; i < n; i++) {
        const row = Array.from(logits.subarray(i * 10, i * 10 + 10));
        if (row.indexOf(Math.max(...row)) === test.labels[start + i]) correct++;
      }
    }
    // One image of 10,000 may sit on a tie that float rounding (input scaling, BN folding) breaks the other way.
    expect(Math.abs(correct / test.count - result.final.testAcc)).toBeLessThanOrEqual(1 / test.count);
    await session.release();
  });

  it('tfjs: a model.json folder that tf.loadLayersModel loads, predicting as the ONNX export of the same run', async () => {
    const folder = path.join(dir, 'tfjs');
    const onnxOut = path.join(dir, 'same.onnx');
    const [a, b] = [
      await script('export', ['--config', `http://localhost:8080/play/?${CONFIG}`, '--steps', '4', '--format', 'tfjs', '--out', folder]),
      await script('export', ['--config', CONFIG, '--steps', '4', '--format', 'onnx', '--out', onnxOut]),
    ];
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const modelJson = JSON.parse(await readFile(path.join(folder, 'model.json'), 'utf8'));
    const model = await loadLayersFromFiles(modelJson, { 'weights.bin': new Uint8Array(await readFile(path.join(folder, 'weights.bin'))) });
    expect(model.getUserDefinedMetadata()).toMatchObject({ architecture: 'resnet:8-16-32x1', playground_url: expect.stringMatching(/^http:\/\/localhost:8080\/play\/\?.*steps=4/) });
    const images = await testImages('mnist', 256);
    const shape: [number, number, number, number] = [256, 28, 28, 1];
    const session = await onnxSession(new Uint8Array(await readFile(onnxOut)));
    const viaLayers = await layersLogits(model, images.pixels, shape);
    const cmp = compareLogits(await onnxLogits(session, images.pixels, shape), viaLayers, 10);
    expect(cmp.relErr).toBeLessThan(1e-4); // two runs of one config: the same student
    expect(cmp.top1Differs).toEqual([]);
    await session.release();
    model.dispose();
  });

  it('onnx --model teacher: the run\'s teacher, untrained by the export, giving the engine\'s logits in onnxruntime', async () => {
    const out = path.join(dir, 'teacher.onnx');
    const r = await script('export', ['--config', CONFIG, '--format', 'onnx', '--model', 'teacher', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/step \d/); // the student is not trained
    const teacher = await nodeTeacher('mnist', 'resnet-s');
    const testAcc = await evaluateNet(teacher, (await nodeDataSources('mnist', 0, 3)).test);
    expect(r.stdout).toContain(`(teacher resnet-s, test ${(100 * testAcc).toFixed(2)}%)`);
    const bytes = new Uint8Array(await readFile(out));
    const meta = Object.fromEntries(onnxProto.onnx.ModelProto.decode(bytes).metadataProps.map((p) => [p.key, p.value]));
    expect(meta).toMatchObject({ dataset: 'mnist', role: 'teacher', architecture: 'resnet:16-32-64x1' });
    expect(Number(meta.test_accuracy)).toBe(testAcc);
    const images = await testImages('mnist', 256);
    const session = await onnxSession(bytes);
    const cmp = compareLogits(await engineLogits(teacher, images.normalised, 256), await onnxLogits(session, images.pixels, [256, 28, 28, 1]), 10);
    console.log(`teacher resnet-s via the CLI: onnxruntime vs engine max relative logit error ${cmp.relErr.toExponential(2)} on 256 test images`);
    expect(cmp.relErr).toBeLessThanOrEqual(1e-4);
    expect(cmp.top1Differs).toEqual([]);
    await session.release();
    teacher.dispose();
  });

  it.each([
    [['--config', 'steps=3', '--format', 'onnx', '--model', 'coach', '--out', 'x.onnx'], /--model "coach": one of student, teacher/],
    [['--config', 'steps=3', '--format', 'pytorch', '--model', 'teacher', '--out', 'proj'], /--model teacher: a PyTorch project holds the whole run/],
    [['--config', 'lr=abc', '--format', 'onnx', '--out', 'x.onnx'], /lr: rejected "abc"/],
    [['--config', 'method=hgkd', '--format', 'pytorch', '--out', 'proj'], /hgkd/],
    [['--config', 'steps=3', '--format', 'keras', '--out', 'x'], /unknown format \(one of onnx, tfjs, pytorch\)/],
    [['--config', 'steps=3', '--format', 'onnx', '--out', 'student'], /path ending in \.onnx/],
    [['--config', 'steps=3', '--format', 'tfjs', '--out', 'package.json'], /is a file; a tfjs export is a folder/],
    [['--config', 'method=hgkd', '--format', 'onnx', '--out', 'x.onnx'], /method: hgkd/],
    [['--config', 'steps=3', '--format', 'onnx'], /--out is required/],
  ])('%j exits 2 naming the cause', async (args, message) => {
    const r = await script('export', args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/step \d/); // refused before training
  });
});

const missingTorch = torchMissing();

describe.skipIf(missingTorch !== null)(`npm run export --format pytorch, then the project${missingTorch ? ` (skipped: ${missingTorch})` : ''}`, () => {
  it('writes the project, and its train.py --replay matches the engine\'s first step', async () => {
    const query = 'dataset=mnist&student=resnet-xs&teacher=resnet-s&method=mgd&mask=pixel&lambda=0.5&alpha=5.6e-4&subset=64&batch=16&steps=3&lr=0.001&seed=5';
    const out = path.join(dir, 'pytorch-project');
    const r = await script('export', ['--config', query, '--format', 'pytorch', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote the PyTorch project to .*pytorch-project \(\d+ files/);
    expect((await readFile(path.join(out, 'README.md'), 'utf8')).split('\n').slice(0, 2)).toEqual(['python train.py', 'torchrun --nproc_per_node=<GPUs> train.py']);
    expect(JSON.parse(await readFile(path.join(out, 'config.json'), 'utf8')).config).toEqual(parseConfigStrict(query));
    // The project as written (its own data/ copy, no --data-dir) against the engine.
    const [torch] = await trainPy(out, ['--replay', '--steps', '1'], 1, { ownData: true });
    const [engine] = await engineSteps(parseConfigStrict(query), 1);
    for (const k of ['taskLoss', 'distillLoss', 'loss'] as const) {
      console.log(`CLI pytorch project, step 1 ${k}: torch ${torch[k]} engine ${engine[k]} (rel ${relErr(torch[k], engine[k]).toExponential(2)})`);
      expect(relErr(torch[k], engine[k]), k).toBeLessThanOrEqual(1e-4);
    }
  });
});
