/**
 * Exports of the current run: the student (model.json + weights.bin in the engine's tfjs
 * weights format, loadable with deserializeNet; not a tf.LayersModel), metrics as CSV / JSON,
 * and the charts as a PNG. Failures (no student yet, say) show beside the buttons.
 */
import { useContext, useState } from 'react';
import { download } from '../export/download';
import { chartsPng } from '../export/chartsPng';
import { metricsCsv, metricsJson } from '../export/metrics';
import { StoreContext, useApp } from '../store';

type Outcome = { ok: boolean; text: string } | null;

export function ExportMenu() {
  const hasSteps = useApp((s) => s.points.length > 0);
  const exportStudent = useApp((s) => s.exportStudent);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  // Read at click time, not subscribed: the menu need not re-render on every progress event.
  const store = useContext(StoreContext)!;

  const run = (label: string, job: () => Promise<string>) => async () => {
    setBusy(true);
    try {
      setOutcome({ ok: true, text: await job() });
    } catch (e) {
      setOutcome({ ok: false, text: `${label}: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setBusy(false);
    }
  };

  const student = run('Student', async () => {
    const { modelJson, weights, step } = await exportStudent();
    const weightsFile = modelJson.weightsManifest[0].paths[0]; // the name model.json refers to
    download('model.json', new Blob([JSON.stringify(modelJson)], { type: 'application/json' }));
    download(weightsFile, new Blob([weights], { type: 'application/octet-stream' }));
    return `student after step ${step}: model.json + ${weightsFile}`;
  });
  const csv = run('CSV', async () => {
    download('metrics.csv', new Blob([metricsCsv(store.getState().points)], { type: 'text/csv' }));
    return 'metrics.csv';
  });
  const json = run('JSON', async () => {
    const s = store.getState();
    download('metrics.json', new Blob([metricsJson({ config: s.config, backend: s.backend?.name ?? null, summary: s.summary, points: s.points })], { type: 'application/json' }));
    return 'metrics.json';
  });
  const png = run('PNG', async () => {
    const charts = document.querySelector<HTMLElement>('.charts');
    if (!charts) throw new Error('no charts on the page');
    download('charts.png', await chartsPng(charts));
    return 'charts.png';
  });

  return (
    <div className="export-menu" role="group" aria-label="Export">
      <span className="export-title">Export</span>
      <button type="button" disabled={!hasSteps || busy} onClick={student} title="The trained student: model.json + weights.bin (tfjs weights format, the engine's loader)">
        Student model
      </button>
      <button type="button" disabled={!hasSteps || busy} onClick={csv} title="One row per recorded step">
        Metrics CSV
      </button>
      <button type="button" disabled={!hasSteps || busy} onClick={json} title="Config, URL, backend, summary and every recorded step">
        Metrics JSON
      </button>
      <button type="button" disabled={!hasSteps || busy} onClick={png} title="The three charts as one image">
        Charts PNG
      </button>
      {outcome && (
        <span className={outcome.ok ? 'export-ok' : 'export-failed'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.ok ? `saved ${outcome.text}` : outcome.text}
        </span>
      )}
    </div>
  );
}
