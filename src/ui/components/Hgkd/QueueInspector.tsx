/**
 * The memory queue behind the similarity loss: how full it is, and the last step's two
 * similarity distributions over its entries (first sample of the batch, newest entry first).
 * The loss is 1 − Pearson r of these two curves; the sample's own teacher embedding was
 * enqueued before the similarities, so the teacher's curve peaks at that entry.
 */
import { useMemo } from 'react';
import type { HgkdQueueView } from '../../../core/hgkd/snapshot';
import { pct } from '../../format';
import { HgkdChart, type RowSeries } from './HgkdChart';
import { type SimilarityRow, similarityRows } from './hgkdSeries';

const SERIES: readonly RowSeries<SimilarityRow>[] = [
  { key: 'teacher', name: 'teacher', color: 'var(--series-teacher-sim)' },
  { key: 'student', name: 'student', color: 'var(--series-task)', dashed: true },
];

export function QueueInspector({ queue, step }: { queue: HgkdQueueView | null; step: number | null }) {
  const rows = useMemo(() => (queue ? similarityRows(queue) : []), [queue]);
  const fill = queue ? queue.fill / queue.capacity : 0;
  return (
    <section className="hgkd-queue" aria-label="Queue inspector" data-testid="hgkd-queue">
      <h3>Memory queue</h3>
      <div className="hgkd-fill" title="FIFO queue of teacher pooled embeddings; a full queue drops its oldest">
        <div className="hgkd-fill-bar" role="progressbar" aria-valuemin={0} aria-valuemax={queue?.capacity ?? 0} aria-valuenow={queue?.fill ?? 0} aria-label="queue fill">
          <span style={{ width: `${(fill * 100).toFixed(1)}%` }} />
        </div>
        <span className="hgkd-fill-text" data-testid="hgkd-queue-fill">
          {queue ? `${queue.fill} / ${queue.capacity} (${pct(fill)})` : 'empty'}
        </span>
      </div>
      <HgkdChart
        id="similarity"
        title={step === null ? 'Similarity distributions' : `Similarity distributions after step ${step}`}
        hint="softmax(cos(e, queue)/τ) of the teacher's and the student's pooled embedding of one image, over the queue entries (newest first)"
        rows={rows}
        x="entry"
        xLabel="queue entry"
        series={SERIES}
        height={130}
      />
    </section>
  );
}
