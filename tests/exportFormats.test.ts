/**
 * ONNX and tfjs Layers exports, checked by real runtimes: onnxruntime-web (wasm, in Node) and
 * tf.loadLayersModel give the engine's logits on 256 real test images (≤ 1e-4 of the logit
 * scale, same top-1) for every registry architecture, spec strings of both families (several
 * blocks, odd widths, 1 and 4 stages) and the shipped trained teachers; plus the files'
 * structure and metadata, and refusals of saved nets the exporters cannot express.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import onnxProto from 'onnx-proto';
import { Net, netOptionsFor } from '../src/core/models/net';
import { REGISTRY, resolveArch } from '../src/core/models/registry';
import { formatSpec } from '../src/core/models/spec';
import { serializeNet } from '../src/core/models/serialize';
import { loadTeacher, loadTeacherManifest } from '../src/core/models/teachers';
import { DATASETS, type DatasetInfo } from '../src/core/data/datasets';
import { Rng } from '../src/core/random';
import { type ExportInfo, exportLayersModel, exportOnnx, LAYERS_WEIGHTS_FILE } from '../src/core/export';
import { samePads } from '../src/core/export/onnx';
import { initNodeBackend } from '../src/node/backend';
import { nodeFetchBytes } from '../src/node/dataSource';
import { compareLogits, engineLogits, layersLogits, loadLayersFromFiles, onnxLogits, onnxSession, testImages } from './exportRuntimes';
import { MNIST_NET } from './helpers';

const { onnx } = onnxProto;
const N = 256;
const TOL = 1e-4;

beforeAll(async () => {
  await initNodeBackend('wasm');
});

/** BN statistics and affine params away from their init (1, 0, 0, 1), so folding them is exercised. */
function perturbBatchNorm(net: Net, seed: number): void {
  const rng = new Rng(seed);
  for (const [name, v] of net.params.named()) {
    const draw = (f: () => number) => v.assign(tf.tensor1d(Float32Array.from({ length: v.size }, f)));
    if (name.endsWith('.gamma')) draw(() => 0.5 + rng.uniform());
    else if (name.endsWith('.beta')) draw(() => 0.2 * rng.normal());
    else if (name.endsWith('.mean')) draw(() => 0.3 * rng.normal());
    else if (name.endsWith('.var')) draw(() => 0.3 + 1.7 * rng.uniform());
  }
}

const info = (o: Partial<ExportInfo> = {}): ExportInfo => ({ data: DATASETS.mnist, role: 'student', testAcc: 0.9123, url: 'http://127.0.0.1:5173/?student=resnet-xs&seed=1', ...o });

/** Both exports of `net` against its own logits on the first 256 test images of `dataset`. */
async function checkBothFormats(net: Net, exportInfo: ExportInfo) {
  const { modelJson, weights } = await serializeNet(net, { role: exportInfo.role, seed: 1 });
  const images = await testImages(exportInfo.data.id, N);
  const shape: [number, number, number, number] = [N, 28, 28, 1];
  const reference = await engineLogits(net, images.normalised, N);

  const onnxBytes = exportOnnx(modelJson, weights, exportInfo);
  const session = await onnxSession(onnxBytes);
  const viaOnnx = compareLogits(reference, await onnxLogits(session, images.pixels, shape), 10);

  const layers = exportLayersModel(modelJson, weights, exportInfo);
  // Through JSON text and a bytes copy, as the files on disk are read.
  const model = await loadLayersFromFiles(JSON.parse(JSON.stringify(layers.modelJson)), { [LAYERS_WEIGHTS_FILE]: new Uint8Array(layers.weights.slice(0)) });
  const viaLayers = compareLogits(reference, await layersLogits(model, images.pixels, shape), 10);
  // EXPORT_FIGURES=1 prints the measured differences (the README's figures).
  if (process.env.EXPORT_FIGURES) console.info(`${formatSpec(net.spec)}: ONNX ${viaOnnx.relErr.toExponential(2)}, tfjs ${viaLayers.relErr.toExponential(2)} of the logit scale`);
  return { onnxBytes, session, viaOnnx, model, viaLayers, reference, images };
}

const SPEC_STUDENTS = ['mobilenet:5-11-23x3-2-1', 'mobilenet:9x2', 'resnet:6-10x2-3', 'resnet:8-16-32-64x1', 'resnet:7-13-21x1-2-1'];

describe('exports agree with the engine on 256 real test images', () => {
  it.each([...REGISTRY.map((e) => e.id), ...SPEC_STUDENTS])('%s (BN statistics perturbed)', async (arch) => {
    const net = new Net(resolveArch(arch), 3, 'export-test', MNIST_NET);
    perturbBatchNorm(net, 11);
    const { viaOnnx, viaLayers, session, model } = await checkBothFormats(net, info());
    expect(viaOnnx.relErr).toBeLessThan(TOL);
    expect(viaOnnx.top1Differs).toEqual([]);
    expect(viaLayers.relErr).toBeLessThan(TOL);
    expect(viaLayers.top1Differs).toEqual([]);
    await session.release();
    model.dispose();
    net.dispose();
  });

  it.each([['mnist', 'resnet-t'], ['fashion', 'resnet-s']] as const)('shipped teacher %s/%s: same logits, and the same test accuracy as the engine on these images', async (dataset, id) => {
    const net = await loadTeacher(dataset, id, nodeFetchBytes);
    const manifest = await loadTeacherManifest(nodeFetchBytes);
    const record = manifest.teachers.find((t) => t.dataset === dataset && t.id === id)!;
    const r = await checkBothFormats(net, info({ data: DATASETS[dataset], role: 'teacher', testAcc: record.testAcc, url: record.command }));
    expect(r.viaOnnx.relErr).toBeLessThan(TOL);
    expect(r.viaOnnx.top1Differs).toEqual([]);
    expect(r.viaLayers.relErr).toBeLessThan(TOL);
    expect(r.viaLayers.top1Differs).toEqual([]);
    // A trained teacher classifies these images well: the comparison is on meaningful logits.
    let correct = 0;
    for (let i = 0; i < N; i++) {
      const row = r.reference.subarray(i * 10, i * 10 + 10);
      if (row.indexOf(Math.max(...row)) === r.images.labels[i]) correct++;
    }
    expect(correct / N).toBeGreaterThan(0.85);
    await r.session.release();
    r.model.dispose();
    net.dispose();
  });
});

describe('ONNX file', () => {
  it('opset 13, input pixels [N, 1, 28, 28], output logits [N, 10], BN folded, metadata; any batch size runs', async () => {
    const net = new Net(resolveArch('resnet-xs'), 5, 'onnx-structure', MNIST_NET);
    perturbBatchNorm(net, 2);
    const { modelJson, weights } = await serializeNet(net, { role: 'student', method: 'mgd', seed: 5, step: 40 });
    const bytes = exportOnnx(modelJson, weights, info());
    const model = onnx.ModelProto.decode(bytes);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
    const dims = (v: onnxProto.onnx.IValueInfoProto) => v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(model.graph!.input!.map((v) => [v.name, dims(v)])).toEqual([['pixels', ['N', 1, 28, 28]]]);
    expect(model.graph!.output!.map((v) => [v.name, dims(v)])).toEqual([['logits', ['N', 10]]]);
    const ops = model.graph!.node!.map((n) => n.opType);
    expect(ops.slice(0, 2)).toEqual(['Sub', 'Div']); // normalisation inside the graph
    expect(ops).not.toContain('BatchNormalization');
    expect(ops.filter((o) => o === 'Conv')).toHaveLength(1 + 2 * 3 + 2); // stem, 2 per block, 2 downsampling shortcuts
    expect(ops.filter((o) => o === 'Add')).toHaveLength(3);
    const meta = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
    expect(meta).toMatchObject({
      dataset: 'mnist',
      dataset_name: 'MNIST',
      architecture: 'resnet:8-16-32x1',
      role: 'student',
      test_accuracy: '0.9123',
      playground_url: 'http://127.0.0.1:5173/?student=resnet-xs&seed=1',
    });
    expect(JSON.parse(meta.class_names)).toEqual(DATASETS.mnist.classNames);
    expect(JSON.parse(meta.normalization)).toMatchObject({ mean: DATASETS.mnist.mean, std: DATASETS.mnist.std });
    expect(JSON.parse(meta.engine_meta)).toEqual({ role: 'student', method: 'mgd', seed: 5, step: 40 });

    // The runtime sees the same interface, with a symbolic batch dimension.
    const session = await onnxSession(bytes);
    expect(session.inputNames).toEqual(['pixels']);
    expect(session.outputNames).toEqual(['logits']);
    const inMeta = session.inputMetadata[0];
    expect(inMeta.isTensor && inMeta.shape).toEqual(['N', 1, 28, 28]);
    const images = await testImages('mnist', 3);
    const three = await onnxLogits(session, images.pixels, [3, 28, 28, 1]);
    const one = await onnxLogits(session, images.pixels.subarray(2 * 784), [1, 28, 28, 1]);
    expect(Array.from(one)).toEqual(Array.from(three.subarray(20)).map((v) => expect.closeTo(v, 5)));
    await session.release();
    net.dispose();
  });

  it("pads 'same' convs as TF does: the odd pixel after", () => {
    expect(samePads(28, 3, 1)).toEqual([1, 1]);
    expect(samePads(28, 3, 2)).toEqual([0, 1]);
    expect(samePads(7, 3, 2)).toEqual([1, 1]);
    expect(samePads(14, 1, 2)).toEqual([0, 0]);
  });
});

describe('tfjs Layers model', () => {
  it('is a functional LayersModel: NHWC input in [0, 1], Rescaling first, residual Add layers, metadata', async () => {
    const net = new Net(resolveArch('resnet-t'), 5, 'layers-structure', MNIST_NET);
    const { modelJson, weights } = await serializeNet(net);
    const layers = exportLayersModel(modelJson, weights, info({ role: 'teacher' }), 'teacher.weights.bin');
    expect(layers.modelJson.weightsManifest[0].paths).toEqual(['teacher.weights.bin']);
    const model = await loadLayersFromFiles(JSON.parse(JSON.stringify(layers.modelJson)), { 'teacher.weights.bin': layers.weights });
    expect(model).toBeInstanceOf(tf.LayersModel);
    expect(model.inputs[0].shape).toEqual([null, 28, 28, 1]);
    expect(model.outputs[0].shape).toEqual([null, 10]);
    const classes = model.layers.map((l) => l.getClassName());
    expect(classes.slice(0, 3)).toEqual(['InputLayer', 'Rescaling', 'Conv2D']);
    expect(classes.filter((c) => c === 'Add')).toHaveLength(6); // 2 blocks × 3 stages
    expect(classes.filter((c) => c === 'BatchNormalization')).toHaveLength(1 + 12 + 2);
    expect(model.countParams()).toBe(net.params.named().reduce((s, [, v]) => s + v.size, 0));
    expect(model.getUserDefinedMetadata()).toMatchObject({ dataset: 'mnist', role: 'teacher', architecture: 'resnet:16-32-64x2', test_accuracy: 0.9123, class_names: DATASETS.mnist.classNames });
    model.dispose();
    net.dispose();
  });

  it('mobilenet becomes DepthwiseConv2D layers', async () => {
    const net = new Net(resolveArch('mobilenet:5-11-23x3-2-1'), 5, 'layers-mobilenet', MNIST_NET);
    const { modelJson, weights } = await serializeNet(net);
    const layers = exportLayersModel(modelJson, weights, info());
    const model = await loadLayersFromFiles(layers.modelJson, { [LAYERS_WEIGHTS_FILE]: layers.weights });
    expect(model.layers.filter((l) => l.getClassName() === 'DepthwiseConv2D')).toHaveLength(6);
    model.dispose();
    net.dispose();
  });
});

describe('a loaded colour dataset (per-channel normalisation inside the model)', () => {
  // A 32×32 RGB dataset as importedInfo describes one: 5 classes, a mean and std per channel.
  const data: DatasetInfo = {
    id: 'import-0123456789ab', name: 'colours', classNames: ['a', 'b', 'c', 'd', 'e'], imageSize: 32, channels: 3, numClasses: 5,
    trainCount: 100, testCount: 20, mean: 0.45, std: 0.25, channelMean: [0.6, 0.45, 0.3], channelStd: [0.2, 0.25, 0.3],
  };
  const n = 64;
  const shape: [number, number, number, number] = [n, 32, 32, 3];

  it.each(['resnet-xs', 'mobilenet:5-11-23x3-2-1'])('%s: ONNX and tfjs Layers give the engine\'s logits; the metadata lists the channels', async (arch) => {
    const net = new Net(resolveArch(arch), 3, 'export-rgb', netOptionsFor(data));
    perturbBatchNorm(net, 5);
    const rng = new Rng(17);
    const pixels = Float32Array.from({ length: n * 32 * 32 * 3 }, () => Math.floor(rng.uniform() * 256) / 255);
    const normalised = pixels.map((p, i) => (p - data.channelMean![i % 3]) / data.channelStd![i % 3]);
    const reference = await engineLogits(net, normalised, n);
    const { modelJson, weights } = await serializeNet(net, { role: 'student', seed: 3 });
    const exportInfo = info({ data });

    const session = await onnxSession(exportOnnx(modelJson, weights, exportInfo));
    const viaOnnx = compareLogits(reference, await onnxLogits(session, pixels, shape), 5);
    const layers = exportLayersModel(modelJson, weights, exportInfo);
    const model = await loadLayersFromFiles(JSON.parse(JSON.stringify(layers.modelJson)), { [LAYERS_WEIGHTS_FILE]: new Uint8Array(layers.weights.slice(0)) });
    const viaLayers = compareLogits(reference, await layersLogits(model, pixels, shape), 5);
    for (const v of [viaOnnx, viaLayers]) {
      expect(v.relErr).toBeLessThan(TOL);
      expect(v.top1Differs).toEqual([]);
    }
    // A single mean/std for all channels would be wrong here: the check above would fail.
    expect(model.getUserDefinedMetadata()).toMatchObject({
      dataset: data.id, dataset_name: 'colours', class_names: data.classNames,
      normalization: { mean: [0.6, 0.45, 0.3], std: [0.2, 0.25, 0.3] },
    });
    await session.release();
    model.dispose();
    net.dispose();
  });

  it('a normalisation of the wrong channel count is refused', async () => {
    const net = new Net(resolveArch('resnet-xs'), 3, 'export-rgb-wrong', netOptionsFor(data));
    const { modelJson, weights } = await serializeNet(net);
    net.dispose();
    expect(() => exportOnnx(modelJson, weights, info({ data: { ...data, channelMean: [0.5, 0.5], channelStd: [0.2, 0.2] } }))).toThrow(/normalisation for 2 channels, the input has 3/);
  });
});

describe('saved nets the exporters refuse, naming why', () => {
  async function saved() {
    const net = new Net(resolveArch('resnet-xs'), 1, 'refuse', MNIST_NET);
    const s = await serializeNet(net);
    net.dispose();
    return s;
  }
  it('a missing weight', async () => {
    const { modelJson, weights } = await saved();
    const entries = modelJson.weightsManifest[0].weights;
    const i = entries.findIndex((e) => e.name === 's2.b1.down.w');
    const size = entries[i].shape.reduce((a, b) => a * b, 1) * 4;
    const offset = entries.slice(0, i).reduce((s, e) => s + e.shape.reduce((a, b) => a * b, 1) * 4, 0);
    const cut = new Uint8Array(weights.byteLength - size);
    cut.set(new Uint8Array(weights, 0, offset));
    cut.set(new Uint8Array(weights, offset + size), offset);
    entries.splice(i, 1);
    expect(() => exportOnnx(modelJson, cut.buffer, info())).toThrow(/weight s2\.b1\.down\.w missing/);
  });
  it('a weight the architecture does not have', async () => {
    const { modelJson, weights } = await saved();
    modelJson.weightsManifest[0].weights.push({ name: 'extra.w', shape: [2], dtype: 'float32' });
    const more = new Uint8Array(weights.byteLength + 8);
    more.set(new Uint8Array(weights));
    expect(() => exportLayersModel(modelJson, more.buffer, info())).toThrow(/does not know: extra\.w/);
  });
  it('another architecture than the weights were saved from', async () => {
    const { modelJson, weights } = await saved();
    modelJson.arch = 'resnet:8-16-64x1';
    expect(() => exportOnnx(modelJson, weights, info())).toThrow(/weight s3\.b1\.conv1\.w has shape \[3,3,16,32\], expected \[3,3,16,64\]/);
  });
  it('a truncated weights file, a quantised weight, a foreign model.json', async () => {
    const { modelJson, weights } = await saved();
    expect(() => exportOnnx(modelJson, weights.slice(0, 100), info())).toThrow(/weights file ends inside/);
    const q = structuredClone(modelJson);
    q.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 1, min: 0 };
    expect(() => exportOnnx(q, weights, info())).toThrow(/quantised/);
    expect(() => exportOnnx({ format: 'layers-model' }, weights, info())).toThrow(/not a distill-playground\/net model\.json/);
  });
});
