/** The parts of the kernel benchmark (a module of its own: the Node driver imports it without tfjs). */
export const BENCH_PARTS = ['masked', 'sparse', 'step'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];
