/**
 * Every kept run, newest first: its config in brief, final numbers, speed, time and how it
 * ended. A checkbox overlays the run on the charts; a click on the row (or Load) puts its
 * config back in the form; Delete removes it from the table and from storage.
 */
import { useShallow } from 'zustand/react/shallow';
import { type ExperimentConfig, type FieldDef, type Schedule, getField } from '../../core/config';
import { describeDataset, parseDatasetRef } from '../../core/data/datasetRef';
import { fmt, pct } from '../format';
import type { SavedMetrics, SavedRun } from '../persist/runRecord';
import { isActive, useApp } from '../store';
import { FinalEvalTag } from './FinalEvalTag';
import { runColor } from './runLabels';
import { RunsFile } from './RunsFile';

/** A built-in's id, a loaded dataset's name (its hash and sizes in the tooltip). */
const datasetLabel = (text: string) => {
  const ref = parseDatasetRef(text);
  return ref.kind === 'builtin' ? ref.id : ref.name;
};

function seconds(s: number): string {
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Whether the run's method reads the field (α only under mimic / MGD, λ only under MGD, …). */
const reads = (c: ExperimentConfig, key: string) => {
  const methods = (getField(key) as FieldDef).methods;
  return !methods || methods.includes(c.method);
};

/** A live setting as the run had it: its starting value, then each change (`0.00056 → 0.002 @101`). */
function LiveValue({ start, changes }: { start: number; changes: Schedule }) {
  const last = changes.at(-1);
  const title = changes.length > 0 ? `${fmt(start)} at step 1; ${changes.map((e) => `${fmt(e.value)} from step ${e.step}`).join('; ')}` : undefined;
  return (
    <span title={title}>
      {fmt(start)}
      {last && <span className="run-change"> → {fmt(last.value)} @{last.step}{changes.length > 1 ? ` (${changes.length} changes)` : ''}</span>}
    </span>
  );
}

/**
 * The difference column: the MGD family's feature difference. H-GKD has none; its cell names
 * its own measure (the last distillation MSE), and its scratch baseline goes beside the accuracy.
 */
function MeasureCell({ metrics }: { metrics: SavedMetrics }) {
  if (metrics.pipeline === 'distill') return <td className="num" data-testid="run-measure">{fmt(metrics.difference)}</td>;
  return (
    <td className="num" data-testid="run-measure" title="H-GKD has no feature difference: the last distillation step's MSE to the teacher's embeddings">
      MSE {fmt(metrics.mse)}
    </td>
  );
}

function RunRow({ run, locked }: { run: SavedRun; locked: boolean }) {
  const { toggle, remove, load } = useApp(useShallow((s) => ({ toggle: s.toggleRunSelected, remove: s.deleteRun, load: s.loadRunConfig })));
  const c = run.config;
  const stop = (e: { stopPropagation(): void }) => e.stopPropagation();
  return (
    <tr
      data-testid="run-row"
      data-run-id={run.id}
      data-status={run.status}
      className={`run-row${run.selected ? ' run-selected' : ''}`}
      onClick={() => !locked && load(run.id)}
      title={locked ? undefined : 'Click to load this run\u2019s config into the form'}
    >
      <td onClick={stop}>
        <input type="checkbox" checked={run.selected} onChange={() => toggle(run.id)} aria-label={`Overlay run ${run.label} on the charts`} />
      </td>
      <td>
        <span className="run-swatch" style={{ background: runColor(run) }} />#{run.label}
      </td>
      <td>{c.method}</td>
      <td data-testid="run-alpha">{reads(c, 'alpha') ? <LiveValue start={c.alpha} changes={c.alphaAt} /> : '–'}</td>
      <td data-testid="run-lambda">{reads(c, 'lambda') ? <LiveValue start={c.lambda} changes={c.lambdaAt} /> : '–'}</td>
      <td className="run-pair" data-testid="run-pair">
        {c.method === 'hgkd' ? c.mimTeacher : reads(c, 'teacher') ? c.teacher : '–'} → {c.student}
        <span className="run-dataset" title={describeDataset(c.dataset)}> · {datasetLabel(c.dataset)}</span>
      </td>
      <td>{c.seed}</td>
      <td>
        {run.steps}/{c.steps}
      </td>
      <td className="num">
        {pct(run.testAcc)}
        {run.status === 'completed' && <FinalEvalTag config={c} />}
        {run.metrics.pipeline === 'hgkd' && (
          <span className="run-scratch" title="The same student from its initial weights, the same labelled steps">
            {' '}
            · scratch {pct(run.metrics.scratchAcc)}
          </span>
        )}
      </td>
      <td className="num">{pct(run.trainAcc)}</td>
      <MeasureCell metrics={run.metrics} />
      <td className="num">{run.stepsPerSec === null ? '–' : fmt(run.stepsPerSec)}</td>
      <td className="num">{seconds(run.seconds)}</td>
      <td className={`run-status run-status-${run.status}`} title={run.error ?? undefined}>
        {run.status}
        {run.backend && <span className="run-backend"> · {run.backend}</span>}
      </td>
      <td className="run-actions" onClick={stop}>
        <button type="button" disabled={locked} onClick={() => load(run.id)} aria-label={`Load the config of run ${run.label}`}>
          Load
        </button>
        <button type="button" onClick={() => remove(run.id)} aria-label={`Delete run ${run.label}`}>
          Delete
        </button>
      </td>
    </tr>
  );
}

/** After a delete: says which run went, with Undo (until the next delete or a dismiss). */
function UndoDelete() {
  const { deleted, undo, dismiss } = useApp(useShallow((s) => ({ deleted: s.deletedRun, undo: s.undoDelete, dismiss: s.dismissUndo })));
  if (!deleted) return null;
  return (
    <div className="banner banner-notice" role="status" data-testid="undo-delete">
      Run #{deleted.label} deleted.{' '}
      <button type="button" onClick={undo}>
        Undo
      </button>
      <button type="button" className="banner-close" aria-label="Dismiss" onClick={dismiss}>
        ×
      </button>
    </div>
  );
}

export function RunsTable() {
  const { runs, loaded, notice, dismiss } = useApp(useShallow((s) => ({ runs: s.runs, loaded: s.runsLoaded, notice: s.persistNotice, dismiss: s.dismissPersistNotice })));
  const locked = useApp((s) => isActive(s.status) || s.batch !== null);
  return (
    <section className="runs" aria-label="Runs">
      <h2>Runs</h2>
      <RunsFile />
      <UndoDelete />
      {notice && (
        <div className="banner banner-notice" role="status" data-testid="persist-notice">
          {notice}
          <button type="button" className="banner-close" aria-label="Dismiss" onClick={dismiss}>
            ×
          </button>
        </div>
      )}
      {runs.length === 0 ? (
        <p className="runs-empty">{loaded ? 'No runs yet: every run you train is kept here, to compare and overlay.' : 'Loading saved runs…'}</p>
      ) : (
        <div className="runs-scroll">
          <table className="runs-table" data-testid="runs-table">
            <thead>
              <tr>
                <th title="Overlay on the charts">⧉</th>
                <th>run</th>
                <th>method</th>
                <th>α</th>
                <th>λ</th>
                <th>teacher → student</th>
                <th>seed</th>
                <th>steps</th>
                <th title="Completed: the final evaluation (quick: the run's test images; full: the whole test set); stopped or failed: the last periodic evaluation">test acc</th>
                <th title="Running mean of batch accuracy at the end">train acc</th>
                <th title="Σ(align(S) − T)²/N at the last step (H-GKD: its distillation MSE, labelled)">difference</th>
                <th>steps/s</th>
                <th>time</th>
                <th>status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {[...runs].reverse().map((r) => (
                <RunRow key={r.id} run={r} locked={locked} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
