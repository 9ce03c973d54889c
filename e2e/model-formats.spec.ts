/**
 * Standard-format exports from the page: after a short wasm run the Export menu's Student ONNX,
 * Student tfjs Layers and Teacher ONNX downloads load in real runtimes (onnxruntime-web and
 * tf.loadLayersModel, here on the test's Node side) and predict, on 256 real test images, what
 * the page's own engine export (Student model, loaded with deserializeNet) and the shipped
 * teacher predict; their metadata carries the run's accuracy and URL.
 */
import * as tf from '@tensorflow/tfjs';
import onnxProto from 'onnx-proto';
import { deserializeNet } from '../src/core/models/serialize';
import { loadTeacher } from '../src/core/models/teachers';
import { parseConfigStrict } from '../src/core/config';
import { nodeFetchBytes } from '../src/node/dataSource';
import { compareLogits, engineLogits, layersLogits, loadLayersFromFiles, onnxLogits, onnxSession, testImages } from '../tests/exportRuntimes';
import { expect, test, tiny } from './fixtures';

const N = 256;
const SHAPE: [number, number, number, number] = [N, 28, 28, 1];
const asBuffer = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

test('model formats: the student as ONNX and tfjs Layers, the teacher as ONNX, each predicting as the engine', async ({ playground: pg }) => {
  test.setTimeout(120_000);
  const query = tiny({ backend: 'wasm', steps: 4, teacher: 'resnet-s', seed: 5 });
  await pg.open(query);
  await pg.backend();
  await expect(pg.button('Student ONNX')).toBeDisabled(); // nothing trained yet
  await pg.trainToEnd();
  await expect(pg.progress()).toHaveAttribute('data-status', 'done');
  const summaryAcc = await pg.page.evaluate(() => window.__distill!.store.getState().summary!.testAcc);

  const [engineJson, engineWeights] = await pg.downloads(() => pg.button('Student model').click(), 2);
  const [onnxFile] = await pg.downloads(() => pg.button('Student ONNX').click());
  await expect(pg.page.getByRole('status').filter({ hasText: 'saved student after step 4: student.onnx' })).toBeVisible();
  const [layersJson, layersWeights] = await pg.downloads(() => pg.button('Student tfjs Layers').click(), 2);
  const [teacherFile] = await pg.downloads(() => pg.button('Teacher ONNX').click());
  expect([onnxFile.name, layersJson.name, layersWeights.name, teacherFile.name]).toEqual(['student.onnx', 'student-tfjs.json', 'student-tfjs.weights.bin', 'teacher-mnist-resnet-s.onnx']);

  await tf.setBackend('cpu');
  const images = await testImages('mnist', N);
  const student = deserializeNet(JSON.parse(engineJson.bytes.toString('utf8')), asBuffer(engineWeights.bytes), 'page-student', 'model.json');
  const reference = await engineLogits(student, images.normalised, N);
  student.dispose();

  const session = await onnxSession(new Uint8Array(onnxFile.bytes));
  const viaOnnx = compareLogits(reference, await onnxLogits(session, images.pixels, SHAPE), 10);
  expect(viaOnnx.relErr).toBeLessThan(1e-4);
  expect(viaOnnx.top1Differs).toEqual([]);
  await session.release();

  const modelJson = JSON.parse(layersJson.bytes.toString('utf8'));
  const model = await loadLayersFromFiles(modelJson, { [layersWeights.name]: new Uint8Array(layersWeights.bytes) });
  expect(model).toBeInstanceOf(tf.LayersModel);
  const viaLayers = compareLogits(reference, await layersLogits(model, images.pixels, SHAPE), 10);
  expect(viaLayers.relErr).toBeLessThan(1e-4);
  expect(viaLayers.top1Differs).toEqual([]);
  model.dispose();

  // Metadata: the run's full-test-set accuracy and a URL that reproduces the run.
  const meta = Object.fromEntries(onnxProto.onnx.ModelProto.decode(new Uint8Array(onnxFile.bytes)).metadataProps.map((p) => [p.key, p.value]));
  expect(meta).toMatchObject({ dataset: 'mnist', role: 'student', architecture: 'resnet:8-16-32x1' });
  expect(Number(meta.test_accuracy)).toBe(summaryAcc);
  expect(parseConfigStrict(meta.playground_url)).toEqual(parseConfigStrict(query));
  expect(modelJson.userDefinedMetadata).toMatchObject({ test_accuracy: summaryAcc, playground_url: meta.playground_url });

  const teacher = await loadTeacher('mnist', 'resnet-s', nodeFetchBytes);
  const teacherRef = await engineLogits(teacher, images.normalised, N);
  teacher.dispose();
  const teacherSession = await onnxSession(new Uint8Array(teacherFile.bytes));
  const viaTeacher = compareLogits(teacherRef, await onnxLogits(teacherSession, images.pixels, SHAPE), 10);
  expect(viaTeacher.relErr).toBeLessThan(1e-4);
  expect(viaTeacher.top1Differs).toEqual([]);
  await teacherSession.release();
  expect(pg.consoleErrors).toEqual([]);
});
