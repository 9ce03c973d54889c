/**
 * Export and import of the runs table as one JSON file (src/ui/persist/runsFile.ts): to carry
 * runs to another browser and overlay them there. The import's outcome (taken, cleaned,
 * rejected, each named) shows as a notice; imported text is only ever rendered as text.
 */
import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { download } from '../export/download';
import { writeRunsFile } from '../persist/runsFile';
import { useApp } from '../store';

export const RUNS_FILE_NAME = 'distill-runs.json';

export function RunsFile() {
  const { runs, importRuns, message, dismiss } = useApp(
    useShallow((s) => ({ runs: s.runs, importRuns: s.importRuns, message: s.importMessage, dismiss: s.dismissImportMessage })),
  );
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <div className="runs-file">
        <button
          type="button"
          disabled={runs.length === 0}
          title="Every run in the table as one JSON file, to import in another browser"
          onClick={() => download(RUNS_FILE_NAME, new Blob([writeRunsFile(runs)], { type: 'application/json' }))}
        >
          Export runs
        </button>
        <button type="button" title="Add the runs of a runs file (exported here or elsewhere) to the table" onClick={() => input.current?.click()}>
          Import runs…
        </button>
        <input
          ref={input}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="import-runs-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = ''; // the same file can be chosen again
            if (file) void importRuns(file);
          }}
        />
      </div>
      {message && (
        <div className="banner banner-notice" role="status">
          <span data-testid="import-message">{message}</span>
          <button type="button" className="banner-close" aria-label="Dismiss" onClick={dismiss}>
            ×
          </button>
        </div>
      )}
    </>
  );
}
