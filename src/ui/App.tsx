/** The playground page: settings on the left, the run on the right. */
import { BackendBadge } from './components/BackendBadge';
import { Charts } from './components/Charts';
import { ConfigForm } from './components/ConfigForm';
import { CopyLink } from './components/CopyLink';
import { ErrorBanner } from './components/ErrorBanner';
import { ExportMenu } from './components/ExportMenu';
import { FeatureMaps } from './components/FeatureMaps/FeatureMaps';
import { HgkdPanel } from './components/Hgkd/HgkdPanel';
import { LambdaSweep } from './components/LambdaSweep';
import { PaperComparison } from './components/PaperComparison';
import { PresetBar } from './components/PresetBar';
import { ProgressBar } from './components/ProgressBar';
import { RunControls } from './components/RunControls';
import { RunsTable } from './components/RunsTable';
import { UrlNotice } from './components/UrlNotice';
import { useApp } from './store';

export function App() {
  const hgkd = useApp((s) => s.config.method === 'hgkd'); // H-GKD has its own charts and views
  return (
    <div className="app">
      <header className="app-header">
        <h1>Distill Playground</h1>
        <p className="tagline">Train a small student CNN from a teacher, live in your browser (Masked Generative Distillation).</p>
        <BackendBadge />
        <CopyLink />
      </header>
      <UrlNotice />
      <ErrorBanner />
      <main className="layout">
        <section className="settings" aria-label="Settings">
          <PresetBar />
          <ConfigForm />
        </section>
        <section className="run" aria-label="Run">
          <RunControls />
          <ProgressBar />
          {hgkd ? (
            <HgkdPanel />
          ) : (
            <>
              <Charts />
              <ExportMenu />
              <FeatureMaps />
            </>
          )}
        </section>
      </main>
      <section className="compare" aria-label="Compare runs">
        <RunsTable />
        <div className="batch-panels">
          <PaperComparison />
          <LambdaSweep />
        </div>
      </section>
    </div>
  );
}
