/**
 * The feature-map panel: for one test image, what each side of the distillation sees (input,
 * T, align(S), the mask, the masked feature, G's output, |G − T|), as a grid of channels or as
 * the spatial attention map (mean |activation| over channels, MGD paper Fig. 1).
 *
 * Snapshots arrive every ~1.5 s; each card draws into its canvas with one putImageData in an
 * effect (no React element per pixel); a click on a map shows it enlarged. Each map has its own
 * colour scale (readable even while the student's values are a fraction of the teacher's); "same scale" puts T, align(S), the
 * masked feature and G on one, to compare magnitudes by eye. The mask is always 0…1.
 */
import { memo, useMemo, useState } from 'react';
import type { FeatureKind, FeatureMapData, FeatureSnapshot } from '../../../core/distill/featureSnapshot';
import { type ColorScale, gradientCss, scaleFor } from '../../colormap';
import { fmt } from '../../format';
import { useApp } from '../../store';
import { ImagePicker } from './ImagePicker';
import { EnlargedMap } from './EnlargedMap';
import { type Pixels, channelGrid, heatmap } from './layout';
import { MASK_SCALE, MaskLegend } from './MaskLegend';
import { PixelCanvas } from './PixelCanvas';

type View = 'channels' | 'attention';

const TITLES: Record<FeatureKind, { title: string; hint: string }> = {
  input: { title: 'Input x', hint: 'The test image as the networks see it (normalised)' },
  teacher: { title: 'Teacher T', hint: 'Teacher feature at the distilled stage: the target' },
  student: { title: 'Student align(S)', hint: 'Student feature after the 1×1 align conv (identity when widths match)' },
  mask: { title: 'Mask M', hint: 'Random mask, 1 = kept, 0 = dropped (λ of them); fixed per run so snapshots compare' },
  masked: { title: 'align(S) ⊙ M', hint: 'What the generator gets to see' },
  generated: { title: 'G(align(S) ⊙ M)', hint: 'The generator’s reconstruction of the teacher feature' },
  error: { title: '|G(·) − T|', hint: 'Where the reconstruction still misses the teacher' },
};

/** Name of the performance measure taken around each card's drawing. */
export const DRAW_MEASURE = 'feature-map draw';

/** Maps drawn on one colour scale. */
const SHARED: ReadonlySet<FeatureKind> = new Set<FeatureKind>(['teacher', 'student', 'masked', 'generated']);

const arrayOf = (m: FeatureMapData, view: View) => (view === 'channels' ? m.values : m.attention);

function scales(snapshot: FeatureSnapshot, view: View, sameScale: boolean): Map<FeatureKind, ColorScale> {
  const shared = scaleFor(snapshot.maps.filter((m) => SHARED.has(m.kind)).map((m) => arrayOf(m, view)));
  const own = (m: FeatureMapData): ColorScale =>
    m.kind === 'mask' ? MASK_SCALE : sameScale && SHARED.has(m.kind) ? shared : scaleFor([arrayOf(m, view)], m.kind !== 'input');
  return new Map(snapshot.maps.map((m) => [m.kind, own(m)]));
}

function draw(m: FeatureMapData, view: View, scale: ColorScale): Pixels {
  return view === 'channels' ? channelGrid(m.values, m.shape, scale) : heatmap(m.attention, m.shape[0], m.shape[1], scale);
}

const FeatureCard = memo(function FeatureCard({ map, view, scale }: { map: FeatureMapData; view: View; scale: ColorScale }) {
  const { title, hint } = TITLES[map.kind];
  const pixels = useMemo(() => draw(map, view, scale), [map, view, scale]);
  const [enlarged, setEnlarged] = useState(false);
  const [h, w, c] = map.shape;
  return (
    <figure className="feature-card" title={hint}>
      <figcaption>
        <span>{title}</span> <span className="feature-shape">{`${h}×${w}×${c}`}</span>
      </figcaption>
      <button type="button" className="feature-enlarge" aria-label={`Enlarge ${title}`} title={`Enlarge ${title}`} onClick={() => setEnlarged(true)}>
        <PixelCanvas pixels={pixels} measure={DRAW_MEASURE} detail={map.kind} data-testid={`feature-${map.kind}`} role="img" aria-label={`${title}, ${view === 'channels' ? 'channels' : 'attention map'}`} />
      </button>
      {map.kind === 'mask' ? (
        <MaskLegend testId="feature-mask-legend" />
      ) : (
        <div className="feature-legend" aria-label={`colour scale ${fmt(scale.min)} to ${fmt(scale.max)}`}>
          <span>{fmt(scale.min)}</span>
          <span className="feature-gradient" style={{ background: gradientCss(scale.map) }} />
          <span>{fmt(scale.max)}</span>
        </div>
      )}
      {enlarged && <EnlargedMap title={`${title} · ${h}×${w}×${c}${view === 'attention' ? ' · attention' : ''}`} pixels={pixels} onClose={() => setEnlarged(false)} />}
    </figure>
  );
});

export function FeatureMaps() {
  const features = useApp((s) => s.features);
  const [view, setView] = useState<View>('channels');
  const [sameScale, setSameScale] = useState(false);
  const snapshot = features?.snapshot ?? null;
  const byKind = useMemo(() => (snapshot ? scales(snapshot, view, sameScale) : null), [snapshot, view, sameScale]);

  return (
    <section className="feature-maps" aria-label="Feature maps" data-testid="feature-maps" data-step={features?.step ?? 0}>
      <div className="feature-toolbar">
        <h2>Feature maps</h2>
        <ImagePicker label={snapshot?.label ?? null} />
        <div className="segmented" role="radiogroup" aria-label="Feature view">
          {(['channels', 'attention'] as const).map((v) => (
            <label key={v}>
              <input type="radio" name="feature-view" value={v} checked={view === v} onChange={() => setView(v)} />
              {v === 'channels' ? 'channel grid' : 'attention (mean |·| over C)'}
            </label>
          ))}
        </div>
        <label className="same-scale" title="One colour scale for T, align(S), align(S) ⊙ M and G, to compare magnitudes">
          <input type="checkbox" checked={sameScale} onChange={(e) => setSameScale(e.target.checked)} />
          same scale
        </label>
        {features && <span className="feature-step">{`stage ${snapshot!.stage} · after step ${features.step}`}</span>}
      </div>
      {snapshot && byKind ? (
        <div className="feature-grid">
          {snapshot.maps.map((m) => (
            <FeatureCard key={m.kind} map={m} view={view} scale={byKind.get(m.kind)!} />
          ))}
        </div>
      ) : (
        <p className="feature-empty">Feature maps of the chosen test image appear after the first training step.</p>
      )}
    </section>
  );
}
