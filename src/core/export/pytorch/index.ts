/** "Open in PyTorch": the run as a PyTorch project (see project.ts). */
export { buildPytorchProject, checkExportable, PYTORCH_METHODS, PytorchExportError, resolvedSettings, type EngineTensor, type InitialState, type ProjectFile } from './project';
export { PY_SOURCES, type PySource, type PySources } from './sources';
export { encodeSafetensors, decodeSafetensors, type NamedArray } from './safetensors';
