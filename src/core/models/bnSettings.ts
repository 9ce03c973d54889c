/** Batch-norm constants of every net, tfjs-free so exporters that run without tfjs share them. */
export const BN_EPS = 1e-5;
/** Running-average momentum, as PyTorch's BatchNorm2d (new = (1-m)·old + m·batch). */
export const BN_MOMENTUM = 0.1;
