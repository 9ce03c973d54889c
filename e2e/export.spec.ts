/**
 * Exports: the trained student's model.json + weights.bin load back with the engine's loader
 * (here in Node, on tfjs's cpu backend) and predict exactly as the worker's student did; the
 * metrics as CSV / JSON and the charts as PNG are what the page shows.
 */
import * as tf from '@tensorflow/tfjs';
import { deserializeNet } from '../src/core/models/serialize';
import { expect, test, tiny } from './fixtures';

const text = (d: { bytes: Buffer }) => d.bytes.toString('utf8');

test('export: the student loads back with the engine loader; metrics and charts download', async ({ playground: pg }) => {
  // Self-distillation (same widths): the snapshot's student map is the raw student feature.
  await pg.open(tiny({ backend: 'wasm', steps: 3, student: 'resnet-s', teacher: 'resnet-s' }));
  await pg.backend();
  await expect(pg.button('Student model')).toBeDisabled(); // nothing trained yet
  await pg.button('Train').click();
  await expect(pg.progress()).toHaveAttribute('data-step', '3', { timeout: 45_000 });

  const [modelFile, weightsFile] = await pg.downloads(() => pg.button('Student model').click(), 2);
  expect([modelFile.name, weightsFile.name]).toEqual(['model.json', 'weights.bin']);
  await expect(pg.page.getByRole('status').filter({ hasText: 'saved student after step 3' })).toBeVisible();
  const modelJson = JSON.parse(text(modelFile));
  expect(modelJson).toMatchObject({ format: 'distill-playground/net', arch: 'resnet:16-32-64x1', meta: { role: 'student', step: 3 } });
  expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
  const weights = weightsFile.bytes;

  await tf.setBackend('cpu');
  const net = deserializeNet(modelJson, weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer, 'exported', 'model.json');
  // The loaded student's features on the snapshot image equal the worker's own.
  const snapshot = await pg.page.evaluate(() => window.__distill!.store.getState().features!.snapshot);
  const input = snapshot.maps.find((m) => m.kind === 'input')!;
  const features = net.apply(tf.tensor4d(Float32Array.from(Object.values(input.values)), [1, 28, 28, 1]), false).features[2];
  const student = Float32Array.from(Object.values(snapshot.maps.find((m) => m.kind === 'student')!.values));
  expect(features.shape).toEqual([1, 7, 7, 64]);
  const loaded = await features.data();
  let worst = 0;
  for (let i = 0; i < loaded.length; i++) worst = Math.max(worst, Math.abs(loaded[i] - student[i]));
  expect(worst).toBeLessThan(1e-3 * Math.max(...student.map(Math.abs)));
  net.dispose();

  const [csv] = await pg.downloads(() => pg.button('Metrics CSV').click());
  const rows = text(csv).trim().split('\n');
  expect(rows[0]).toBe('step,loss,taskLoss,distillLoss,featureLoss,difference,batchAcc,trainAcc,testAcc,alpha,lambda,stepMs');
  expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['1', '2', '3']);

  const [json] = await pg.downloads(() => pg.button('Metrics JSON').click());
  const record = JSON.parse(text(json));
  expect(record).toMatchObject({ backend: 'wasm', config: { student: 'resnet-s', steps: 3 }, url: expect.stringContaining('teacher=resnet-s') });
  expect(record.points).toHaveLength(3);

  const [png] = await pg.downloads(() => pg.button('Charts PNG').click());
  const bytes = png.bytes;
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  expect(bytes.readUInt32BE(16)).toBeGreaterThan(400); // width (2× the charts' CSS width)
  expect(pg.consoleErrors).toEqual([]);
});
