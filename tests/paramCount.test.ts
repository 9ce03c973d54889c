/** paramCount (the pickers' model size) equals the trainable weights of the net built from the spec. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Net } from '../src/core/models/net';
import { paramCount } from '../src/core/models/paramCount';
import { REGISTRY } from '../src/core/models/registry';
import { parseSpec } from '../src/core/models/spec';
import { MNIST_NET } from './helpers';

describe('paramCount', () => {
  const specs = [...REGISTRY.map((e) => e.spec), parseSpec('mobilenet:8-16-32x2-1-1'), parseSpec('resnet:4-8-16-32x1-2-1-3')];
  it.each(specs.map((s) => [JSON.stringify(s), s] as const))('%s', async (_, spec) => {
    await tf.setBackend('cpu');
    const net = new Net(spec, 1, 'count', MNIST_NET);
    const built = net.trainableVariables().reduce((n, v) => n + v.size, 0);
    net.dispose();
    expect(paramCount(spec)).toBe(built);
  });
  it('matches the manifest for the shipped teachers', () => {
    expect(paramCount(parseSpec('resnet:16-32-64x1'))).toBe(77754);
    expect(paramCount(parseSpec('resnet:16-32-64x2'))).toBe(174970);
  });
});
