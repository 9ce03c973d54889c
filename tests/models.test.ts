import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Net } from '../src/core/models/net';
import { parseSpec, formatSpec, stageShapes } from '../src/core/models/spec';
import { REGISTRY, resolveArch } from '../src/core/models/registry';
import { deserializeNet, serializeNet } from '../src/core/models/serialize';
import { initNodeBackend } from '../src/node/backend';
import { MNIST_NET } from './helpers';

beforeAll(async () => {
  await initNodeBackend('cpu');
});

describe('architecture specs', () => {
  it('parses and formats the URL form', () => {
    expect(parseSpec('resnet:16-32-64x1')).toEqual({ family: 'resnet', widths: [16, 32, 64], blocks: [1, 1, 1] });
    expect(parseSpec('mobilenet:8-16x2-1')).toEqual({ family: 'mobilenet', widths: [8, 16], blocks: [2, 1] });
    expect(formatSpec(parseSpec('resnet:16-32-64x2'))).toBe('resnet:16-32-64x2');
    expect(formatSpec(parseSpec('resnet:16-32x2-1'))).toBe('resnet:16-32x2-1');
  });
  it.each(['', 'resnet', 'resnet:16-32', 'vgg:16x1', 'resnet:2x1', 'resnet:16x9', 'resnet:16-32x1-1-1', 'resnet:8-8-8-8-8x1', '<b>:1x1'])(
    'rejects %j with a reason',
    (text) => {
      expect(() => parseSpec(text)).toThrow(/.+/);
    },
  );
  it('stage shapes halve the resolution after the first stage', () => {
    expect(stageShapes(parseSpec('resnet:8-16-32-64x1'), 28)).toEqual([[28, 28, 8], [14, 14, 16], [7, 7, 32], [4, 4, 64]]);
  });
  it('registry ids resolve, unknown ids throw', () => {
    for (const e of REGISTRY) expect(resolveArch(e.id)).toEqual(e.spec);
    expect(() => resolveArch('resnet-huge')).toThrow(/unknown model/);
  });
});

describe('Net', () => {
  it.each(REGISTRY.map((e) => [e.id, e.spec] as const))('%s: logits and per-stage NHWC features', (_, spec) => {
    const net = new Net(spec, 1, 'test', MNIST_NET);
    const out = net.apply(tf.zeros([2, 28, 28, 1]) as tf.Tensor4D, false);
    expect(out.logits.shape).toEqual([2, 10]);
    expect(out.features.map((f) => f.shape.slice(1))).toEqual(net.stageShapes);
    tf.dispose([out.logits, ...out.features]);
    net.dispose();
  });

  it('has the parameter counts the registry labels promise (student much smaller than teacher)', () => {
    const count = (id: string) => {
      const net = new Net(resolveArch(id), 1, 'count', MNIST_NET);
      const n = net.params.countTrainable();
      net.dispose();
      return n;
    };
    expect(count('resnet-xs')).toBeGreaterThan(15_000);
    expect(count('resnet-xs')).toBeLessThan(30_000);
    // ResNet-T is ResNet-S with twice the blocks (the ResNet-34 → ResNet-18 relation).
    expect(count('resnet-t')).toBeGreaterThan(2 * count('resnet-s'));
    expect(count('mobilenet-s')).toBeLessThan(count('resnet-s'));
  });

  it('the same seed builds the same weights; another seed different ones', async () => {
    const spec = resolveArch('resnet-xs');
    const [a, b, c] = [new Net(spec, 5, 'a', MNIST_NET), new Net(spec, 5, 'b', MNIST_NET), new Net(spec, 6, 'c', MNIST_NET)];
    const w = async (n: Net) => n.params.get('s2.b1.conv1.w').data();
    expect(await w(a)).toEqual(await w(b));
    expect(await w(a)).not.toEqual(await w(c));
    [a, b, c].forEach((n) => n.dispose());
  });

  it('training mode moves the batch-norm running statistics, inference mode does not', async () => {
    const net = new Net(resolveArch('resnet-xs'), 1, 'bn', MNIST_NET);
    const mean = net.params.get('stem.bn.mean');
    const x = tf.randomNormal([4, 28, 28, 1], 1, 1, 'float32', 3) as tf.Tensor4D;
    tf.tidy(() => net.apply(x, false).logits);
    expect(Math.max(...(await mean.data()).map(Math.abs))).toBe(0);
    tf.tidy(() => net.apply(x, true).logits);
    expect(Math.max(...(await mean.data()).map(Math.abs))).toBeGreaterThan(0);
    net.dispose();
  });

  it('serialises to the tfjs weights format and loads back identically', async () => {
    const net = new Net(resolveArch('mobilenet-s'), 9, 'save', MNIST_NET);
    tf.tidy(() => net.apply(tf.randomNormal([4, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D, true).logits); // non-trivial BN state
    const { modelJson, weights } = await serializeNet(net, { note: 'test' });
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
    const loaded = deserializeNet(JSON.parse(JSON.stringify(modelJson)), weights, 'load', 'memory');
    const x = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const [l1, l2] = [net.apply(x, false).logits, loaded.apply(x, false).logits];
    expect(Array.from(await l2.data())).toEqual(Array.from(await l1.data()));
    expect(() => deserializeNet({ format: 'nope' }, weights, 'bad', 'bad.json')).toThrow(/bad.json/);
    const truncated = weights.slice(0, 100);
    expect(() => deserializeNet(modelJson, truncated, 'bad2', 'cut.json')).toThrow();
    net.dispose();
    loaded.dispose();
  });
});
