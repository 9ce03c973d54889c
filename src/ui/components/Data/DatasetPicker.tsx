/**
 * The config's `dataset` field: the built-in datasets and those loaded into this browser (name,
 * images, shape, stored size), the loaded one deletable; under it Load data, the config's teacher
 * where none is shipped (Train teacher), and, for a link whose dataset is absent, which dataset to load.
 */
import type { FieldDef } from '../../../core/config';
import { DATASETS, DATASET_IDS } from '../../../core/data/datasets';
import { datasetKey, parseDatasetRef } from '../../../core/data/datasetRef';
import { isActive, useApp } from '../../store';
import { configDataset, trainBlocker } from '../../store/dataSlice';
import { isShippedTeacher } from '../../../core/train/teacherPlan';
import { LoadData } from './LoadData';
import { TeacherTraining } from './TeacherTraining';

const mib = (n: number) => `${(n / 2 ** 20).toFixed(n < 2 ** 20 ? 2 : 1)} MiB`;

export function DatasetPicker({ field }: { field: FieldDef }) {
  const value = useApp((s) => s.config.dataset);
  const datasets = useApp((s) => s.datasets);
  const notice = useApp((s) => s.datasetNotice);
  const locked = useApp((s) => isActive(s.status) || s.teacherTraining !== null);
  const setField = useApp((s) => s.setField);
  const deleteDataset = useApp((s) => s.deleteDataset);
  const current = useApp(configDataset);
  const blocker = useApp(trainBlocker);
  const shipped = useApp((s) => isShippedTeacher(s.config));
  const ref = parseDatasetRef(value);
  const absent = ref.kind === 'import' && datasets !== null && !current;
  const remove = () => {
    if (!current) return;
    deleteDataset(datasetKey(current.ref));
    setField('dataset', 'mnist');
  };
  return (
    <div className="field dataset-field">
      <label htmlFor="field-dataset" title={field.tooltip}>
        {field.label}
      </label>
      <select id="field-dataset" name="dataset" value={value} disabled={locked} onChange={(e) => setField('dataset', e.target.value)}>
        {DATASET_IDS.map((id) => {
          const d = DATASETS[id];
          return (
            <option key={id} value={id}>
              {d.name} · {d.trainCount.toLocaleString('en')} + {d.testCount.toLocaleString('en')} · {d.imageSize}×{d.imageSize}×{d.channels}
            </option>
          );
        })}
        {datasets?.map((d) => (
          <option key={d.ref} value={d.ref}>
            {d.manifest.name} · {d.manifest.counts.train.toLocaleString('en')} + {d.manifest.counts.test.toLocaleString('en')} · {d.manifest.side}×{d.manifest.side}×{d.manifest.channels} · {d.manifest.classNames.length} classes · {mib(d.bytes)}
          </option>
        ))}
        {ref.kind === 'import' && !current && <option value={value}>{ref.name} (not loaded)</option>}
      </select>
      {current && (
        <button type="button" className="dataset-delete" disabled={locked} onClick={remove} title="Delete this dataset and its teachers from this browser">
          Delete {current.manifest.name}
        </button>
      )}
      {absent && blocker && (
        <p className="dataset-missing" role="alert" data-testid="dataset-missing">
          {blocker}
        </p>
      )}
      {notice && <p className="dataset-notice">{notice}</p>}
      <LoadData />
      {!shipped && (ref.kind === 'builtin' || current) && <TeacherTraining />}
    </div>
  );
}
