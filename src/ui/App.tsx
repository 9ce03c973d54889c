/**
 * The playground page: settings on the left, the run on the right, the run bar (controls and
 * progress) above the run; on a phone the run bar comes first and stays at the top while the
 * form and charts scroll under it.
 */
import { BackendBadge } from './components/BackendBadge';
import { Charts } from './components/Charts';
import { ConfigForm } from './components/ConfigForm';
import { CopyLink } from './components/CopyLink';
import { ErrorBanner } from './components/ErrorBanner';
import { ExportMenu } from './components/ExportMenu';
import { FeatureMaps } from './components/FeatureMaps/FeatureMaps';
import { HgkdPanel } from './components/Hgkd/HgkdPanel';
import { HowItWorks } from './components/HowItWorks';
import { LambdaSweep } from './components/LambdaSweep';
import { PaperComparison } from './components/PaperComparison';
import { PaperTables } from './components/PaperTables';
import { PresetBar } from './components/PresetBar';
import { ProgressBar } from './components/ProgressBar';
import { RunControls } from './components/RunControls';
import { RunsTable } from './components/RunsTable';
import { Shortcuts } from './components/Shortcuts';
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
      <HowItWorks />
      <Shortcuts />
      <UrlNotice />
      <ErrorBanner />
      <main className="layout">
        <div className="run-bar" data-testid="run-bar">
          <RunControls />
          <ProgressBar />
        </div>
        <section className="settings" aria-label="Settings">
          <PresetBar />
          <ConfigForm />
        </section>
        <section className="run" aria-label="Run">
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
          <PaperTables />
        </div>
      </section>
    </div>
  );
}
