/** Chooses the test image of the feature snapshots: typed index or previous / next. */
import { useEffect, useState } from 'react';
import { useApp } from '../../store';

export function ImagePicker({ label }: { label: number | null }) {
  const index = useApp((s) => s.snapshotIndex);
  const count = useApp((s) => s.testCount);
  const choose = useApp((s) => s.chooseImage);
  const [draft, setDraft] = useState(String(index));
  useEffect(() => setDraft(String(index)), [index]);
  const last = (count ?? 10000) - 1;

  const commit = (text: string) => {
    const n = Number(text);
    if (Number.isInteger(n) && n >= 0 && n <= last) {
      if (n !== index) choose(n);
    } else setDraft(String(index)); // not an image: back to the current one
  };

  return (
    <div className="image-picker">
      <label htmlFor="snapshot-index">Test image</label>
      <button type="button" aria-label="Previous test image" disabled={index <= 0} onClick={() => choose(index - 1)}>
        ‹
      </button>
      <input
        id="snapshot-index"
        type="number"
        min={0}
        max={last}
        step={1}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => commit(draft)}
        onKeyDown={(e) => e.key === 'Enter' && commit(draft)}
      />
      <button type="button" aria-label="Next test image" disabled={index >= last} onClick={() => choose(index + 1)}>
        ›
      </button>
      {label !== null && <span className="image-label">label {label}</span>}
    </div>
  );
}
