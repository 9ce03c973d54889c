/**
 * The live settings α and λ as sliders with the value typed in beside them (α on a log scale,
 * from the field's `slider` span), plus the α helper: "match task loss" sets α to the value
 * that made α·(feature term) equal the cross-entropy at the start of the latest run.
 *
 * The helper comes from the worker's `prepared` event (it needs the teacher, the student at
 * init and a batch, so it is measured when a run starts, not before): the button is enabled
 * from the first run of a method with a feature term on. A slider commits when released (or on
 * a key), not per pixel of a drag: each commit rewrites the URL and, mid-run, goes to the worker.
 */
import { useEffect, useState } from 'react';
import type { NumberField } from '../../core/config';
import { alphaFormula } from '../../core/methods';
import { fmt } from '../format';
import { useApp } from '../store';

const STEPS = 1000; // slider positions

/** Slider position (0…STEPS) of a value: log or linear over the field's slider span, clamped. */
function toPosition(v: number, f: NumberField): number {
  const { min, max } = f.slider;
  const t = f.log ? Math.log(Math.max(v, min) / min) / Math.log(max / min) : (v - min) / (max - min);
  return Math.round(Math.max(0, Math.min(1, t)) * STEPS);
}

/** Value at a slider position, to 3 significant digits (what a URL should carry). */
function fromPosition(p: number, f: NumberField): number {
  const { min, max } = f.slider;
  const t = p / STEPS;
  const v = f.log ? min * (max / min) ** t : min + t * (max - min);
  return Number(v.toPrecision(3));
}

/** What the formula line under each slider says: α's from the method's declaration (core/methods). */
function formulaOf(key: 'alpha' | 'lambda', method: string): string {
  if (key === 'lambda') return 'pixel: M = 0 where rand(N,1,H,W) > 1 − λ · channel: where rand(N,C) < λ';
  return alphaFormula(method);
}

export function SliderField({ field, unused = false }: { field: NumberField; unused?: boolean }) {
  const key = field.key as 'alpha' | 'lambda';
  const value = useApp((s) => s.config[key]);
  const method = useApp((s) => s.config.method);
  const error = useApp((s) => s.fieldErrors[key]);
  const setField = useApp((s) => s.setField);
  const [draft, setDraft] = useState(String(value));
  const [position, setPosition] = useState(toPosition(value, field));
  useEffect(() => {
    setDraft(String(value));
    setPosition(toPosition(value, field));
  }, [value, field]);

  const id = `field-${key}`;
  const commitText = () => {
    if (draft !== String(value) || error) setField(key, draft);
  };
  const commitSlider = () => {
    const v = fromPosition(position, field);
    if (v !== value) setField(key, String(v));
  };
  const sliderValue = fromPosition(position, field);

  return (
    <div className={`field slider-field live${error ? ' invalid' : ''}${unused ? ' unused' : ''}`} data-unused={unused || undefined}>
      <label htmlFor={id} title={field.tooltip}>
        {field.label}
        <span className="live-tag" title="can be changed while training; applied at the next step">
          live
        </span>
      </label>
      <div className="slider-row">
        <input
          type="range"
          aria-label={`${field.label} slider${field.log ? ' (log scale)' : ''}`}
          aria-valuetext={fmt(sliderValue)}
          title={field.tooltip}
          min={0}
          max={STEPS}
          step={1}
          value={position}
          onChange={(e) => {
            setPosition(Number(e.target.value));
            setDraft(String(fromPosition(Number(e.target.value), field)));
          }}
          onPointerUp={commitSlider}
          onKeyUp={commitSlider}
          onBlur={commitSlider}
        />
        <input
          id={id}
          name={key}
          type="number"
          min={field.min}
          max={field.max}
          step="any"
          value={draft}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commitText}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commitText();
            if (e.key === 'Escape') setDraft(String(value));
          }}
        />
        {key === 'alpha' && <MatchTaskLoss />}
      </div>
      <small className="formula">{formulaOf(key, method)}</small>
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

/** Sets α from the α helper of the latest run. */
function MatchTaskLoss() {
  const hint = useApp((s) => s.alphaHint ?? (s.summary?.pipeline === 'distill' ? s.summary.alphaHint : null));
  const setField = useApp((s) => s.setField);
  const why =
    hint === null
      ? 'Known once a run with a feature term (mimic, mgd, mgd+kd) has started: the worker measures CE and the feature term on its first batch'
      : `α = CE / feature term at the start of the latest run = ${fmt(hint)}: the MGD term then weighs as much as the task loss`;
  return (
    <button type="button" className="match-alpha" disabled={hint === null} title={why} onClick={() => hint !== null && setField('alpha', String(Number(hint.toPrecision(3))))}>
      α: match task loss
    </button>
  );
}
