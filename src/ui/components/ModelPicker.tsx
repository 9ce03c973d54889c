/**
 * Teacher and student picked from the registry, each option with its size (trainable parameters)
 * and, for teachers, the shipped weights' test accuracy on the form's dataset (the manifest's).
 * Both lists end with "spec…", which opens a text entry for any architecture spec; a teacher
 * spec is trained here first ("Train teacher", under the dataset) and then says what it measured.
 */
import { useEffect, useState } from 'react';
import type { FieldDef } from '../../core/config';
import { paramCount } from '../../core/models/paramCount';
import { STUDENT_IDS, TEACHER_IDS, registryEntry, resolveArch } from '../../core/models/registry';
import { isActive, useApp } from '../store';
import { useShippedTeachers } from '../store/teacherManifest';
import { trainedTeacher } from '../store/dataSlice';

const SPEC = ''; // the select's value for "a spec, typed in"

/** `77754` → `78k`. */
function size(idOrSpec: string): string {
  const n = paramCount(resolveArch(idOrSpec));
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : `${Math.round(n / 1000)}k`;
}

export function ModelPicker({ field, unused = false }: { field: FieldDef; unused?: boolean }) {
  const role = field.key as 'teacher' | 'student';
  const value = useApp((s) => s.config[role]);
  const dataset = useApp((s) => s.config.dataset);
  const error = useApp((s) => s.fieldErrors[role]);
  const locked = useApp((s) => isActive(s.status));
  const setField = useApp((s) => s.setField);
  const shipped = useShippedTeachers();
  const trained = useApp(trainedTeacher);
  const ids = role === 'teacher' ? TEACHER_IDS : STUDENT_IDS;
  const isSpec = !ids.includes(value);
  const [specOpen, setSpecOpen] = useState(isSpec);
  const [draft, setDraft] = useState(isSpec ? value : '');
  useEffect(() => {
    if (!ids.includes(value)) {
      setSpecOpen(true);
      setDraft(value);
    }
  }, [value, ids]);

  const id = `field-${role}`;
  // A student starts from scratch: the shipped weights' accuracy is a teacher's only.
  const accuracy = (m: string) => (role === 'teacher' ? shipped?.find((t) => t.dataset === dataset && t.id === m)?.testAcc : undefined);
  /** Short enough for the form's column; the option's title has the architecture. */
  const label = (m: string) => {
    const acc = accuracy(m);
    return `${m} · ${size(m)}${acc !== undefined ? ` · ${(acc * 100).toFixed(1)}%` : ''}`;
  };
  const describe = (m: string) => {
    const acc = accuracy(m);
    return `${registryEntry(m)?.label ?? m}: ${paramCount(resolveArch(m)).toLocaleString('en')} parameters${acc !== undefined ? `; shipped weights ${(acc * 100).toFixed(2)}% on the ${dataset} test set` : ''}`;
  };
  const commitSpec = () => {
    if (draft.trim() !== '' && (draft !== value || error)) setField(role, draft);
  };

  return (
    <div className={`field model-picker${error ? ' invalid' : ''}${unused ? ' unused' : ''}`} data-unused={unused || undefined}>
      <label htmlFor={id} title={field.tooltip}>
        {field.label} <span className="picker-hint">{role === 'teacher' ? 'size · test acc' : 'size'}</span>
      </label>
      <select
        id={id}
        name={role}
        disabled={locked}
        value={specOpen ? SPEC : value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => {
          if (e.target.value === SPEC) setSpecOpen(true);
          else {
            setSpecOpen(false);
            setField(role, e.target.value);
          }
        }}
      >
        {ids.map((m) => (
          <option key={m} value={m} title={describe(m)}>
            {label(m)}
          </option>
        ))}
        <option value={SPEC}>{role === 'teacher' ? 'spec… (any architecture, trained here first)' : 'spec… (any architecture)'}</option>
      </select>
      {specOpen && (
        <input
          id={`${id}-spec`}
          type="text"
          aria-label={`${field.label} spec`}
          placeholder="resnet:16-32-64x1"
          spellCheck={false}
          disabled={locked}
          value={draft}
          title={field.kind === 'text' ? `${field.grammar}; e.g. ${field.examples.filter((x) => x.includes(':')).join(', ')}` : undefined}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commitSpec}
          onKeyDown={(e) => e.key === 'Enter' && commitSpec()}
        />
      )}
      {specOpen && !isSpec && !error && draft === '' && <small className="formula">Type a spec (family:widths x blocks); Enter applies it.</small>}
      {specOpen && isSpec && (
        <small className="formula" data-testid={`${role}-spec-size`}>
          {size(value)} params
          {role === 'teacher' && (trained ? ` · trained here, test ${(trained.testAcc * 100).toFixed(1)}%` : ' · not trained yet (Train teacher, under Dataset)')}
        </small>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}
