/**
 * The blocks of each model family. A stage is a list of blocks; the first block of every stage
 * after the first halves the resolution. Every block ends in a ReLU, which the net applies (so a
 * stage's pre-ReLU output, what OFD distils, is there to hook).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import type { Family } from './spec';
import type { ParamStore } from './params';
import { type Apply, addBatchNorm, addConv, addDepthwise, chain, relu } from './layers';

export interface Block {
  preRelu: Apply; // the block's output before its last ReLU
  /** The BN whose output reaches that ReLU: OFD reads the margin from its affine parameters. */
  lastBn: string;
}

type BlockBuilder = (p: ParamStore, rng: Rng, name: string, cin: number, cout: number, stride: number) => Block;

/**
 * ResNet basic block: conv3×3-BN-ReLU-conv3×3-BN, plus identity or 1×1-conv-BN shortcut, then ReLU.
 * Its pre-ReLU value is bn2 + shortcut; OFD's authors take the margin from bn2 alone, as here.
 */
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
  return {
    preRelu: (x, training) => tf.add(main(x, training), shortcut ? shortcut(x, training) : x) as tf.Tensor4D,
    lastBn: `${name}.bn2`,
  };
};

/** MobileNet-v1 depthwise-separable block: dw3×3-BN-ReLU then pw1×1-BN-ReLU. */
const mobilenetBlock: BlockBuilder = (p, rng, name, cin, cout, stride) => ({
  preRelu: chain(
    addDepthwise(p, rng, `${name}.dw`, 3, cin, stride),
    addBatchNorm(p, `${name}.dwbn`, cin),
    relu,
    addConv(p, rng, `${name}.pw`, 1, cin, cout, 1),
    addBatchNorm(p, `${name}.pwbn`, cout),
  ),
  lastBn: `${name}.pwbn`,
});

export const BLOCKS: Record<Family, BlockBuilder> = { resnet: resnetBlock, mobilenet: mobilenetBlock };
