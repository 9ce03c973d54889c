/**
 * Charts of the current run and of the kept runs selected in the runs table: losses (task CE vs
 * α-weighted distillation), the feature "difference" Σ(align(S) − T)²/N, and accuracy (running
 * train, periodic test). Live α / λ changes are vertical markers at the first step that used
 * them; the shipped teacher's test accuracy is a horizontal line on the accuracy chart; the
 * current run's learning-rate schedule is a thin line on the loss chart (LrLine).
 * Points arrive in batches of at most ~20 per second and are thinned in the store; the charts
 * redraw at most every REDRAW_MS from a further thinned copy.
 */
import { memo, useMemo } from 'react';
import { Line, LineChart, ReferenceLine, ResponsiveContainer, usePlotArea, useXAxisDomain } from 'recharts';
import { useShallow } from 'zustand/react/shallow';
import type { LiveChange, MetricsPoint } from '../../worker/protocol';
import type { SavedRun } from '../persist/runRecord';
import { useApp } from '../store';
import { changesFromPoints } from '../store/liveChanges';
import { forDisplay } from '../store/series';
import { useTeacherAccuracy } from '../store/teacherManifest';
import { useThrottled } from '../throttle';
import { type ChartSeries, gridAndAxes, OVERLAY_DOT, seriesLines, useYAxis, valueTooltip } from './chartParts';
import { LABEL_FONT_PX, LABEL_ROW_PX, layoutMarkerLabels } from './markerLabels';
import { REDRAW_MS, useRedrawMeasure } from './redrawTiming';
import { runColor, runName } from './runLabels';
import { LrLine } from './LrLine';
import { type LrSchedule, lrScheduleOf } from '../../core/optim/lrSchedule';

type Series = ChartSeries<keyof MetricsPoint & string>;

/** A kept run drawn over the current one, in its own colour. */
interface Overlay {
  id: string;
  name: string;
  color: string;
  points: readonly MetricsPoint[];
  markers: readonly LiveChange[];
}

interface ChartProps {
  id: string;
  title: string;
  hint: string;
  data: readonly MetricsPoint[];
  series: readonly Series[];
  overlays: readonly Overlay[];
  markers: readonly LiveChange[];
  /** A horizontal reference line (the teacher's accuracy). */
  reference?: { y: number; label: string } | null;
  percent?: boolean;
  /** The current run's lr schedule, drawn across the plot (the loss chart). */
  schedule?: LrSchedule | null;
}

const MARGIN = { top: 14, right: 12, bottom: 0, left: 0 };

/**
 * Every vertical and horizontal marker, in a memo of its own: recharts' ReferenceLine re-registers
 * itself in the chart's store on every render (an effect without dependencies), and each
 * registration is another synchronous re-render of the chart. Only new markers redraw them.
 */
const ReferenceLines = memo(function ReferenceLines({ overlays, markers, reference }: Pick<ChartProps, 'overlays' | 'markers' | 'reference'>) {
  const steps = [...new Set(markers.map((c) => c.step))];
  return (
    <>
      {overlays.flatMap((o) =>
        o.markers.map((c) => <ReferenceLine key={`${o.id}-${c.step}-${c.param}`} x={c.step} stroke={o.color} strokeDasharray="2 3" ifOverflow="extendDomain" />),
      )}
      {steps.map((step) => (
        <ReferenceLine key={step} className="live-marker" x={step} stroke="var(--marker)" strokeDasharray="3 2" ifOverflow="extendDomain" />
      ))}
      {reference && (
        <ReferenceLine y={reference.y} stroke="var(--teacher)" strokeDasharray="6 3" label={{ value: reference.label, position: 'insideBottomRight', fontSize: 10, fill: 'var(--teacher)' }} />
      )}
    </>
  );
});

/**
 * The live markers' labels, laid out together in the plot's pixels (the drawn plot area and x
 * domain, read from the chart): each label's place depends on its neighbours' on screen.
 */
const MarkerLabels = memo(function MarkerLabels({ markers }: { markers: readonly LiveChange[] }) {
  const plot = usePlotArea();
  const domain = useXAxisDomain();
  if (!plot || !domain || markers.length === 0) return null;
  const [lo, hi] = domain.map(Number);
  const xOf = (step: number) => plot.x + (hi > lo ? ((step - lo) / (hi - lo)) * plot.width : plot.width / 2);
  const labels = layoutMarkerLabels(markers, { left: plot.x, right: plot.x + plot.width, xOf });
  return (
    <g className="live-marker-labels">
      {labels.map((l) => (
        <text key={l.step} className="live-marker-label" x={l.x} y={plot.y + LABEL_FONT_PX + l.row * LABEL_ROW_PX} textAnchor={l.anchor} fontSize={LABEL_FONT_PX} fill="var(--marker)">
          {l.text}
        </text>
      ))}
    </g>
  );
});

const MetricChart = memo(function MetricChart({ id, title, hint, data, series, overlays, markers, reference, percent, schedule }: ChartProps) {
  useRedrawMeasure(id, data);
  const empty = data.length === 0 && overlays.every((o) => o.points.length === 0);
  const yAxis = useYAxis([data, ...overlays.map((o) => o.points)], series.map((s) => s.key), percent);
  return (
    <figure className="chart" data-testid={`chart-${id}`} data-points={data.length} data-overlays={overlays.length} data-markers={markers.length}>
      <figcaption title={hint}>
        {title}
        {overlays.length > 0 && data.length > 0 && <span className="legend-current">this run:</span>}
        {series.map((s) => (
          <span key={s.key} className={`legend-item${s.dashed ? ' legend-dashed' : ''}`} style={{ color: s.color }}>
            {s.name}
          </span>
        ))}
        {overlays.map((o) => (
          <span key={o.id} className="legend-item legend-run" style={{ color: o.color }}>
            {o.name}
          </span>
        ))}
        {schedule && data.length > 0 && (
          <span className="legend-item legend-lr" style={{ color: 'var(--series-lr)' }} title="Learning rate of each step, 0 at the bottom to its peak at the top">
            lr ({schedule.kind}{schedule.warmup > 0 ? `, ${schedule.warmup} warm-up` : ''})
          </span>
        )}
      </figcaption>
      <ResponsiveContainer width="100%" height={180}>
        <LineChart data={data as MetricsPoint[]} margin={MARGIN}>
          {gridAndAxes('step', percent, false, yAxis)}
          {valueTooltip(percent, 'step')}
          {overlays.flatMap((o) =>
            series.map((s) => (
              <Line
                key={`${o.id}-${s.key}`}
                data={o.points as MetricsPoint[]}
                dataKey={s.key}
                name={`${o.name} ${s.name}`}
                stroke={o.color}
                strokeDasharray={s.dashed ? '4 3' : undefined}
                strokeOpacity={0.85}
                dot={s.dots ? OVERLAY_DOT : false}
                strokeWidth={1.25}
                connectNulls={s.dots}
                isAnimationActive={false}
                type="linear"
              />
            )),
          )}
          {seriesLines(series)}
          <ReferenceLines overlays={overlays} markers={markers} reference={reference} />
          <MarkerLabels markers={markers} />
          {schedule && data.length > 0 && <LrLine schedule={schedule} />}
        </LineChart>
      </ResponsiveContainer>
      {empty && <div className="chart-empty">no steps yet</div>}
    </figure>
  );
});

const LOSS: readonly Series[] = [
  { key: 'taskLoss', name: 'task (CE)', color: 'var(--series-task)' },
  { key: 'distillLoss', name: 'distill (weighted)', color: 'var(--series-distill)', dashed: true },
];
const DIFFERENCE: readonly Series[] = [{ key: 'difference', name: 'Σ(align(S) − T)²/N', color: 'var(--series-difference)' }];
const ACCURACY: readonly Series[] = [
  { key: 'trainAcc', name: 'train (running)', color: 'var(--series-train)' },
  { key: 'testAcc', name: 'test', color: 'var(--series-test)', dots: true },
];

/**
 * Selected kept runs, except the one the charts already show live. Kept as the same array while
 * the same runs are shown: a new `runs` list (a save) or the first point of a run (`live`) must
 * not redraw all three charts in one task.
 */
function useOverlays(): readonly Overlay[] {
  const { runs, currentSavedId, live } = useApp(useShallow((s) => ({ runs: s.runs, currentSavedId: s.currentSavedId, live: s.points.length > 0 })));
  const overlays = useMemo(
    () =>
      runs
        .filter((r: SavedRun) => r.selected && !(live && r.id === currentSavedId))
        .map((r) => ({ id: r.id, name: runName(r), color: runColor(r), points: r.points, markers: r.liveChanges })),
    [runs, currentSavedId, live],
  );
  const key = JSON.stringify(overlays.map((o) => [o.id, o.name, o.color, o.points.length, o.points.at(-1)?.step, o.markers]));
  return useMemo(() => overlays, [key]); // eslint-disable-line react-hooks/exhaustive-deps
}

/**
 * One chart's points at its phase of the redraw clock, thinned, and the α / λ markers read off the
 * same (unthinned) points, so a new marker arrives with that chart's own redraw and never makes
 * all three charts redraw in one task. Once the run is over, the worker's record of the changes.
 * The markers stay the same array while their content is unchanged.
 */
function useShown(phase: number): { points: readonly MetricsPoint[]; markers: readonly LiveChange[] } {
  const shown = useThrottled(useApp((s) => s.points), REDRAW_MS, phase);
  const recorded = useApp((s) => s.summary?.liveChanges);
  const points = useMemo(() => forDisplay(shown), [shown]);
  const changes = useMemo(() => recorded ?? changesFromPoints(shown), [recorded, shown]);
  const changesKey = JSON.stringify(changes);
  const markers = useMemo(() => changes, [changesKey]); // eslint-disable-line react-hooks/exhaustive-deps
  return { points, markers };
}

export function Charts() {
  const { dataset, teacher } = useApp(useShallow((s) => ({ dataset: s.config.dataset, teacher: s.config.teacher })));
  const teacherAcc = useTeacherAccuracy(dataset, teacher);
  // Each chart on its own third of the redraw clock: three redraws in one task were long tasks.
  const loss = useShown(0);
  const difference = useShown(1 / 3);
  const accuracy = useShown(2 / 3);
  const overlays = useOverlays();
  const runConfig = useApp((s) => s.runConfig);
  const schedule = useMemo(() => (runConfig ? lrScheduleOf(runConfig) : null), [runConfig]);
  // Memoised like every other prop: Charts re-renders on each progress event, the memo'd charts must not.
  const reference = useMemo(() => (teacherAcc === null ? null : { y: teacherAcc, label: `teacher ${(teacherAcc * 100).toFixed(1)}%` }), [teacherAcc]);
  return (
    <div className="charts">
      <MetricChart id="loss" title="Loss" hint="Cross-entropy and the distillation term as it enters the loss: α·feature term (+ kdW·KD)" data={loss.points} series={LOSS} overlays={overlays} markers={loss.markers} schedule={schedule} />
      <MetricChart id="difference" title="Difference" hint="Σ(align(S) − T)²/N: how far the student's features are from the teacher's" data={difference.points} series={DIFFERENCE} overlays={overlays} markers={difference.markers} />
      <MetricChart
        id="accuracy"
        title="Accuracy"
        hint="Running mean of batch accuracy, and test accuracy at each evaluation (the last is the final evaluation: quick or full, as the outcome line says); dashed: the shipped teacher's test accuracy"
        data={accuracy.points}
        series={ACCURACY}
        overlays={overlays}
        markers={accuracy.markers}
        reference={reference}
        percent
      />
    </div>
  );
}
