/** The PyTorch project's Python files as text for the page (Vite `?raw`; Node reads them from disk). */
import models from '../../core/export/pytorch/python/models.py?raw';
import losses from '../../core/export/pytorch/python/losses.py?raw';
import train from '../../core/export/pytorch/python/train.py?raw';
import recipe from '../../core/export/pytorch/python/recipe.py?raw';
import replay from '../../core/export/pytorch/python/replay.py?raw';
import tensors from '../../core/export/pytorch/python/tensors.py?raw';
import data from '../../core/export/pytorch/python/data.py?raw';
import mmrazor from '../../core/export/pytorch/python/mmrazor_config.py?raw';
import type { PySources } from '../../core/export/pytorch/sources';

export const PYTHON_SOURCES: PySources = {
  'models.py': models,
  'losses.py': losses,
  'train.py': train,
  'recipe.py': recipe,
  'replay.py': replay,
  'tensors.py': tensors,
  'data.py': data,
  'mmrazor_config.py': mmrazor,
};
