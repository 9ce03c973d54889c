/**
 * One form control for one FIELDS row: choice → select, number → number input with the row's
 * min/max, text → input with the row's examples, flag → checkbox. Typed text is committed on
 * Enter or blur (not per keystroke: a live α must not pass through 0 while being typed) and
 * checked by the row; a rejected entry stays visible with its reason.
 */
import { useEffect, useState } from 'react';
import type { FieldDef, FieldKey } from '../../core/config';
import { isActive, useApp } from '../store';

/** Fields the running worker takes live; the rest are locked during a run. */
export const LIVE_FIELDS: ReadonlySet<string> = new Set<FieldKey>(['alpha', 'lambda']);

/**
 * `unused`: the current method does not read this field; it stays editable (a link keeps it) but dimmed.
 * `formula`: a line under the control (the method picker shows the chosen method's loss).
 */
export function FieldInput({ field, unused = false, formula }: { field: FieldDef; unused?: boolean; formula?: string }) {
  const key = field.key as FieldKey;
  const value = useApp((s) => s.config[key]);
  const error = useApp((s) => s.fieldErrors[key]);
  const locked = useApp((s) => isActive(s.status)) && !LIVE_FIELDS.has(key);
  const setField = useApp((s) => s.setField);
  const text = (field.toText as (v: unknown) => string)(value);
  const [draft, setDraft] = useState(text);
  useEffect(() => setDraft(text), [text]);

  const id = `field-${key}`;
  const common = { id, name: key, disabled: locked, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-error` : undefined };
  const commit = () => {
    if (draft !== text || error) setField(key, draft);
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') commit();
    if (e.key === 'Escape') setDraft(text);
  };

  let control: React.ReactNode;
  switch (field.kind) {
    case 'choice':
      control = (
        <select {...common} value={text} onChange={(e) => setField(key, e.target.value)}>
          {field.choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      );
      break;
    case 'number':
      control = (
        <input
          {...common}
          type="number"
          min={field.min}
          max={field.max}
          step={field.integer ? 1 : 'any'}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={onKeyDown}
        />
      );
      break;
    case 'text':
      control = (
        <>
          <input {...common} type="text" list={`${id}-examples`} spellCheck={false} value={draft} onChange={(e) => setDraft(e.target.value)} onBlur={commit} onKeyDown={onKeyDown} />
          <datalist id={`${id}-examples`}>
            {field.examples.map((x) => (
              <option key={x} value={x} />
            ))}
          </datalist>
        </>
      );
      break;
    case 'flag':
      control = <input {...common} type="checkbox" checked={Boolean(value)} onChange={(e) => setField(key, e.target.checked)} />;
      break;
    default:
      control = ((x: never) => x)(field);
  }

  return (
    <div className={`field${error ? ' invalid' : ''}${LIVE_FIELDS.has(key) ? ' live' : ''}${unused ? ' unused' : ''}`} data-unused={unused || undefined}>
      <label htmlFor={id} title={field.tooltip}>
        {field.label}
        {LIVE_FIELDS.has(key) && <span className="live-tag" title="can be changed while training; applied at the next step">live</span>}
      </label>
      {control}
      {formula && (
        <small className="formula" id={`${id}-formula`}>
          {formula}
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
