/**
 * The Python files of an exported PyTorch project. They live as real .py files in ./python/
 * (so they can be run and tested); Node reads them from disk (src/node/export), the page
 * imports them as text (src/ui/export/pytorchSources.ts), and buildPytorchProject takes the
 * texts as input, so this core stays free of both.
 */
export const PY_SOURCES = ['models.py', 'losses.py', 'train.py', 'recipe.py', 'replay.py', 'tensors.py', 'data.py', 'mmrazor_config.py'] as const;
export type PySource = (typeof PY_SOURCES)[number];
export type PySources = Record<PySource, string>;
