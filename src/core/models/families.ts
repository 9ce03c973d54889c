/**
 * The blocks of each model family. A stage is a list of blocks; the first block of every stage
 * after the first halves the resolution.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import type { Family } from './spec';
import type { ParamStore } from './params';
import { type Apply, addBatchNorm, addConv, addDepthwise, chain, relu } from './layers';

type BlockBuilder = (p: ParamStore, rng: Rng, name: string, cin: number, cout: number, stride: number) => Apply;

/** ResNet basic block: conv3×3-BN-ReLU-conv3×3-BN, plus identity or 1×1-conv-BN shortcut, then ReLU. */
const resnetBlock: BlockBuilder = (p, rng, name, cin, cout, stride) => {
  const main = chain(
    addConv(p, rng, `${name}.conv1`, 3, cin, cout, stride),
    addBatchNorm(p, `${name}.bn1`, cout),
    relu,
    addConv(p, rng, `${name}.conv2`, 3, cout, cout, 1),
    addBatchNorm(p, `${name}.bn2`, cout),
  );
  const shortcut: Apply | null =
    stride !== 1 || cin !== cout
      ? chain(addConv(p, rng, `${name}.down`, 1, cin, cout, stride), addBatchNorm(p, `${name}.downbn`, cout))
      : null;
  return (x, training) => tf.relu(tf.add(main(x, training), shortcut ? shortcut(x, training) : x)) as tf.Tensor4D;
};

/** MobileNet-v1 depthwise-separable block: dw3×3-BN-ReLU then pw1×1-BN-ReLU. */
const mobilenetBlock: BlockBuilder = (p, rng, name, cin, cout, stride) =>
  chain(
    addDepthwise(p, rng, `${name}.dw`, 3, cin, stride),
    addBatchNorm(p, `${name}.dwbn`, cin),
    relu,
    addConv(p, rng, `${name}.pw`, 1, cin, cout, 1),
    addBatchNorm(p, `${name}.pwbn`, cout),
    relu,
  );

export const BLOCKS: Record<Family, BlockBuilder> = { resnet: resnetBlock, mobilenet: mobilenetBlock };
