/**
 * Exports of the current run: the student (model.json + weights.bin in the engine's tfjs
 * weights format, loadable with deserializeNet; not a tf.LayersModel), metrics as CSV / JSON,
 * the charts as a PNG, and "Open in PyTorch" (the experiment as a PyTorch project .zip at its
 * initial state, no run needed). Failures (no student yet, say) show beside the buttons.
 */
import { useContext, useState } from 'react';
import { download } from '../export/download';
import { chartsPng } from '../export/chartsPng';
import { metricsCsv, metricsJson } from '../export/metrics';
import { fetchPublic, modelFormatExports } from '../export/modelFormats';
import { projectName, pytorchZip } from '../export/pytorchZip';
import { encodeConfig } from '../../core/config';
import { StoreContext, useApp } from '../store';
import { ranConfig, runChanges } from '../store/ranConfig';

type Outcome = { ok: boolean; text: string } | null;

export function ExportMenu() {
  const hasSteps = useApp((s) => s.points.length > 0);
  const exportStudent = useApp((s) => s.exportStudent);
  const initialState = useApp((s) => s.initialState);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  // Read at click time, not subscribed: the menu need not re-render on every progress event.
  const store = useContext(StoreContext)!;

  /** One export: its button, and a job that downloads and says what it saved. */
  const exports: { label: string; title: string; job: () => Promise<string>; needsRun?: false }[] = [
    {
      label: 'Student model',
      title: "The trained student: model.json + weights.bin (tfjs weights format, the engine's loader)",
      job: async () => {
        const { modelJson, weights, step } = await exportStudent();
        const weightsFile = modelJson.weightsManifest[0].paths[0]; // the name model.json refers to
        download('model.json', new Blob([JSON.stringify(modelJson)], { type: 'application/json' }));
        download(weightsFile, new Blob([weights], { type: 'application/octet-stream' }));
        return `student after step ${step}: model.json + ${weightsFile}`;
      },
    },
    ...modelFormatExports({ exportStudent, state: () => store.getState(), fetchPublic, storedTeacher: (key) => store.getState().storedTeacher(key) }),
    {
      label: 'Metrics CSV',
      title: 'One row per recorded step',
      job: async () => {
        download('metrics.csv', new Blob([metricsCsv(store.getState().points)], { type: 'text/csv' }));
        return 'metrics.csv';
      },
    },
    {
      label: 'Metrics JSON',
      title: 'The config the run trained with and its URL, its live α/λ changes, backend, summary and every recorded step',
      job: async () => {
        const s = store.getState();
        const record = { config: ranConfig(s) ?? s.config, liveChanges: runChanges(s), backend: s.backend?.name ?? null, summary: s.summary, points: s.points };
        download('metrics.json', new Blob([metricsJson(record)], { type: 'application/json' }));
        return 'metrics.json';
      },
    },
    {
      label: 'Charts PNG',
      title: 'The three charts as one image',
      job: async () => {
        const charts = document.querySelector<HTMLElement>('.charts');
        if (!charts) throw new Error('no charts on the page');
        download('charts.png', await chartsPng(charts));
        return 'charts.png';
      },
    },
    {
      label: 'Open in PyTorch',
      title: 'This experiment as a PyTorch project at its initial state (.zip): python train.py, torchrun, --replay reproduces the engine step for step',
      needsRun: false,
      job: async () => {
        const config = store.getState().config;
        const url = `${location.origin}${location.pathname}?${encodeConfig(config)}`;
        const name = `${projectName(config)}.zip`;
        download(name, await pytorchZip(config, url, initialState));
        return name;
      },
    },
  ];

  const run = async (label: string, job: () => Promise<string>) => {
    setBusy(true);
    try {
      setOutcome({ ok: true, text: await job() });
    } catch (e) {
      setOutcome({ ok: false, text: `${label}: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="export-menu" role="group" aria-label="Export">
      <span className="export-title">Export</span>
      {exports.map(({ label, title, job, needsRun }) => (
        <button key={label} type="button" disabled={(needsRun !== false && !hasSteps) || busy} title={title} onClick={() => run(label, job)}>
          {label}
        </button>
      ))}
      {outcome && (
        <span className={outcome.ok ? 'export-ok' : 'export-failed'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.ok ? `saved ${outcome.text}` : outcome.text}
        </span>
      )}
    </div>
  );
}
