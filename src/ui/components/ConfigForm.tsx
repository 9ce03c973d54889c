/**
 * The experiment form, generated from FIELDS: one fieldset per group, in table order. Fields the
 * chosen method does not read (their row's `methods`), or that the other settings leave unread
 * (their row's `readWhen`: cosine's floor under a step schedule), are collapsed under a summary per group.
 */
import { FIELDS, type FieldDef, type FieldGroup } from '../../core/config';
import { methodOf } from '../../core/methods';
import { useApp } from '../store';
import { SliderField } from './AlphaControl';
import { DatasetPicker } from './Data/DatasetPicker';
import { FieldInput } from './FieldInput';
import { ModelPicker } from './ModelPicker';

const GROUPS: readonly { id: FieldGroup; title: string }[] = [
  { id: 'data', title: 'Data' },
  { id: 'models', title: 'Models' },
  { id: 'method', title: 'Method' },
  { id: 'training', title: 'Training' },
  { id: 'runtime', title: 'Runtime' },
];

export function ConfigForm() {
  const fields = FIELDS as readonly FieldDef[];
  const config = useApp((s) => s.config) as Readonly<Record<string, unknown>>;
  const method = config.method as string;
  const methodUnused = (f: FieldDef) => f.methods !== undefined && !f.methods.includes(method);
  const settingUnused = (f: FieldDef) => f.readWhen !== undefined && !f.readWhen.values.includes(String(config[f.readWhen.key]));
  const unused = (f: FieldDef) => methodUnused(f) || settingUnused(f);
  const control = (f: FieldDef) =>
    f.kind === 'number' && (f.key === 'alpha' || f.key === 'lambda') ? (
      <SliderField key={f.key} field={f} unused={unused(f)} />
    ) : f.key === 'dataset' ? (
      <DatasetPicker key={f.key} field={f} />
    ) : f.key === 'teacher' || f.key === 'student' ? (
      <ModelPicker key={f.key} field={f} unused={unused(f)} />
    ) : (
      <FieldInput key={f.key} field={f} unused={unused(f)} formula={f.key === 'method' ? methodOf(method).formula : undefined} />
    );
  return (
    <form className="config-form" aria-label="Experiment settings" onSubmit={(e) => e.preventDefault()}>
      {GROUPS.map((g) => {
        const rows = fields.filter((f) => f.group === g.id);
        const idle = rows.filter(unused);
        return (
          <fieldset key={g.id} className={`group group-${g.id}`}>
            <legend>{g.title}</legend>
            {rows.filter((f) => !unused(f)).map(control)}
            {idle.length > 0 && (
              // Collapsed, not removed: a link keeps these values and another method reads them.
              <details className="unused-fields" data-testid={`unused-${g.id}`}>
                <summary>
                  {idle.length} field{idle.length > 1 ? 's' : ''} {idle.every(methodUnused) ? `${method} does not read` : 'these settings do not read'}
                </summary>
                <div className="unused-grid">{idle.map(control)}</div>
              </details>
            )}
          </fieldset>
        );
      })}
    </form>
  );
}
