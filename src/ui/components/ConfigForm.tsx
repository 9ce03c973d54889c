/** The experiment form, generated from FIELDS: one fieldset per group, in table order. */
import { FIELDS, type FieldDef, type FieldGroup } from '../../core/config';
import { useApp } from '../store';
import { SliderField } from './AlphaControl';
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
  const method = useApp((s) => s.config.method);
  const unused = (f: FieldDef) => f.methods !== undefined && !f.methods.includes(method);
  return (
    <form className="config-form" aria-label="Experiment settings" onSubmit={(e) => e.preventDefault()}>
      {GROUPS.map((g) => (
        <fieldset key={g.id} className={`group group-${g.id}`}>
          <legend>{g.title}</legend>
          {fields
            .filter((f) => f.group === g.id)
            .map((f) =>
              f.kind === 'number' && (f.key === 'alpha' || f.key === 'lambda') ? (
                <SliderField key={f.key} field={f} unused={unused(f)} />
              ) : f.key === 'teacher' || f.key === 'student' ? (
                <ModelPicker key={f.key} field={f} unused={unused(f)} />
              ) : (
                <FieldInput key={f.key} field={f} unused={unused(f)} />
              ),
            )}
        </fieldset>
      ))}
    </form>
  );
}
