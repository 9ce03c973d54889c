/** One button per preset; each edits the current config (dataset, steps, seed… are kept). */
import { PRESETS, PRESET_IDS } from '../../core/config';
import { isActive, useApp } from '../store';

export function PresetBar() {
  const applyPreset = useApp((s) => s.applyPreset);
  const locked = useApp((s) => isActive(s.status));
  return (
    <div className="preset-bar" role="group" aria-label="Presets">
      <span className="preset-title">Presets</span>
      {PRESET_IDS.map((id) => (
        <button key={id} type="button" disabled={locked} title={PRESETS[id].description} data-preset={id} onClick={() => applyPreset(id)}>
          {PRESETS[id].label}
        </button>
      ))}
    </div>
  );
}
