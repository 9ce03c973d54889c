/**
 * One button per preset; each edits the current config (dataset, steps, seed… are kept). The
 * preset whose settings the form holds is shown pressed, and after a click a line says which
 * fields it changed (from → to), or that nothing needed changing.
 */
import { useState } from 'react';
import { type FieldChange, PRESETS, PRESET_IDS, type PresetId, configChanges, presetsMatching } from '../../core/config';
import { isActive, useApp } from '../store';

export function PresetBar() {
  const applyPreset = useApp((s) => s.applyPreset);
  const config = useApp((s) => s.config);
  const locked = useApp((s) => isActive(s.status));
  const [applied, setApplied] = useState<{ id: PresetId; changes: FieldChange[] } | null>(null);
  const matching = presetsMatching(config);
  // Several presets can hold at once (self-distillation is MGD's paper settings too): the one applied last wins.
  const active = applied && matching.includes(applied.id) ? [applied.id] : matching;
  const apply = (id: PresetId) => {
    setApplied({ id, changes: configChanges(config, PRESETS[id].apply(config)) });
    applyPreset(id);
  };
  const shown = applied && active.includes(applied.id) ? applied : null;
  return (
    <div className="preset-block">
      <div className="preset-bar" role="group" aria-label="Presets">
        <span className="preset-title">Presets</span>
        {PRESET_IDS.map((id) => (
          <button
            key={id}
            type="button"
            disabled={locked}
            title={PRESETS[id].description}
            data-preset={id}
            aria-pressed={active.includes(id)}
            className={active.includes(id) ? 'preset-active' : undefined}
            onClick={() => apply(id)}
          >
            {PRESETS[id].label}
          </button>
        ))}
      </div>
      {shown && (
        <p className="preset-changes" role="status" data-testid="preset-changes">
          <b>{PRESETS[shown.id].label}</b>
          {shown.changes.length === 0 ? ': already set, nothing changed.' : ' changed '}
          {shown.changes.map((c, i) => (
            <span key={c.key} className="preset-change" data-key={c.key}>
              {i > 0 && ', '}
              {c.label} <s>{c.from}</s> → <b>{c.to}</b>
            </span>
          ))}
          {shown.changes.length > 0 && '.'}
        </p>
      )}
    </div>
  );
}
