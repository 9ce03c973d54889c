/**
 * "Load data": a file picker (archives, IDX files, images), a folder picker and a drop zone,
 * the side and channels to bring images to, the import's progress with Cancel, and its report
 * (images used, resized, skipped and why) or the reason it failed. The worker reads and decodes the files.
 */
import { useState } from 'react';
import { ARCHIVE_LIMITS, SIDES, type Side } from '../../../core/data/import/limits';
import type { ImportReport } from '../../../worker/protocol';
import { isActive, useApp } from '../../store';
import { type Picked, fromDrop, fromFileList } from '../../pickedFiles';

const STAGES = { reading: 'Reading files', decoding: 'Decoding images', storing: 'Storing' } as const;
const LIMIT_MIB = ARCHIVE_LIMITS.maxArchiveBytes / 2 ** 20;
// webkitdirectory is not in React's input props; the attribute is what Chromium, Firefox and Safari read.
const FOLDER = { webkitdirectory: '' } as Record<string, string>;

function reportLine(r: ImportReport): string {
  const m = r.manifest;
  const skips = Object.entries(m.images.skippedByReason).sort(([a], [b]) => a.localeCompare(b)).map(([why, n]) => `${why} ${n}`).join(', ');
  return (
    `Loaded "${m.name}": ${m.counts.train} train + ${m.counts.test} test images (${m.split.kind === 'given' ? 'split given' : `seeded ${Math.round(m.split.testFraction * 100)} % test split`}), ` +
    `${m.classNames.length} classes, ${m.side}×${m.side}×${m.channels}; ${m.images.resized} resized; ` +
    `${m.images.skipped} skipped${skips ? ` (${skips})` : ''}; ${r.seconds.toFixed(1)} s.`
  );
}

export function LoadData() {
  const importing = useApp((s) => s.importing);
  const result = useApp((s) => s.importResult);
  const busy = useApp((s) => isActive(s.status) || s.importing !== null || s.teacherTraining !== null);
  const importData = useApp((s) => s.importData);
  const cancelImport = useApp((s) => s.cancelImport);
  const [side, setSide] = useState<Side>(32);
  const [channels, setChannels] = useState<1 | 3>(3);
  const [over, setOver] = useState(false);
  const load = (p: Picked) => p.files.length > 0 && importData(p.name, p.files, side, channels);
  const onInput = (e: React.ChangeEvent<HTMLInputElement>) => {
    if (e.target.files) load(fromFileList(e.target.files));
    e.target.value = ''; // the same files may be picked again
  };
  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (!busy) void fromDrop(e.dataTransfer).then(load);
  };
  return (
    <div
      className={`load-data${over ? ' drop-over' : ''}`}
      data-testid="load-data"
      onDragOver={(e) => (e.preventDefault(), setOver(true))}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <div className="load-data-row">
        <label>
          Side
          <select value={side} disabled={busy} onChange={(e) => setSide(Number(e.target.value) as Side)} aria-label="Image side">
            {SIDES.map((s) => (
              <option key={s} value={s}>
                {s}×{s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Channels
          <select value={channels} disabled={busy} onChange={(e) => setChannels(Number(e.target.value) as 1 | 3)} aria-label="Image channels">
            <option value={3}>RGB</option>
            <option value={1}>grey</option>
          </select>
        </label>
      </div>
      <div className="load-data-row">
        <label className="file-button">
          Load files…
          {/* No accept filter: IDX and CIFAR files have no image type, often no extension. */}
          <input type="file" multiple disabled={busy} onChange={onInput} data-testid="load-files" />
        </label>
        <label className="file-button">
          Load folder…
          <input type="file" {...FOLDER} disabled={busy} onChange={onInput} data-testid="load-folder" />
        </label>
      </div>
      <small className="load-data-hint">
        or drop here: a folder of class folders (PNG, JPEG, WebP; optional train/ and test/), a .zip or .tar.gz of one, the CIFAR-10/100 binary
        .tar.gz, or IDX image + label files (gzipped or not); up to {LIMIT_MIB} MiB, 2–1000 classes. Images are cropped to a centre square and
        resized.
      </small>
      {importing && (
        <p className="load-data-progress" role="status" data-testid="import-progress">
          {STAGES[importing.stage]} {importing.stage === 'storing' ? '…' : `${importing.done.toLocaleString('en')} / ${importing.total.toLocaleString('en')}`}{' '}
          {importing.stage !== 'storing' && (
            <button type="button" onClick={cancelImport} title="Stop loading; nothing is stored">
              Cancel
            </button>
          )}
        </p>
      )}
      {result?.ok && (
        <p className="load-data-report" data-testid="import-report">
          {reportLine(result.report)}
          {result.report.notice && <span className="load-data-notice"> {result.report.notice}</span>}
        </p>
      )}
      {result && !result.ok && result.cancelled && (
        <p className="load-data-report" role="status" data-testid="import-cancelled">
          Loading {result.name} {result.message}. Nothing was stored.
        </p>
      )}
      {result && !result.ok && !result.cancelled && (
        <p className="load-data-error" role="alert" data-testid="import-error">
          Could not load {result.name}: {result.message}. Nothing was stored.
        </p>
      )}
    </div>
  );
}
