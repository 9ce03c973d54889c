/** The error every trainer throws when a step's loss is NaN or ±Infinity (the page shows it, the run keeps its points). */

export class NonFiniteLossError extends Error {
  constructor(readonly step: number, readonly value: number) {
    super(`the loss became ${value} at step ${step}: training diverged (try a smaller learning rate or α)`);
    this.name = 'NonFiniteLossError';
  }
}
