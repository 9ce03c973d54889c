/**
 * The mask view: one test image, the student's patch mask and the masked image it gets, then the
 * student encoder's feature at every scale (mean |·| over channels) and how many of that scale's holes carry signal.
 * With sparse conv the holes stay exactly zero at every scale; with sparse off (dense conv on
 * the masked image) they fill in layer by layer — the paper's Fig. 3. Each canvas is one
 * putImageData; the snapshot comes every ~2 s of distillation, and at once for a newly picked test
 * image (during distillation only: after it the encoder is fine-tuned, so no later snapshot).
 */
import { memo, useMemo } from 'react';
import type { HgkdSnapshot } from '../../../core/hgkd/snapshot';
import { type ColorScale, scaleFor } from '../../colormap';
import { pct } from '../../format';
import { ImagePicker } from '../FeatureMaps/ImagePicker';
import { heatmap } from '../FeatureMaps/layout';
import { MASK_SCALE, MaskLegend } from '../FeatureMaps/MaskLegend';
import { PixelCanvas } from '../FeatureMaps/PixelCanvas';
import { holeStats } from './hgkdSeries';

const MapCanvas = memo(function MapCanvas({ id, title, hint, values, h, w, scale, note, legend }: { id: string; title: string; hint: string; values: Float32Array; h: number; w: number; scale: ColorScale; note?: string; legend?: boolean }) {
  const pixels = useMemo(() => heatmap(values, h, w, scale), [values, h, w, scale]); // [h, w] values
  return (
    <figure className="feature-card hgkd-map" title={hint}>
      <figcaption>{title}</figcaption>
      <PixelCanvas pixels={pixels} data-testid={`hgkd-${id}`} role="img" aria-label={title} />
      {legend && <MaskLegend testId="hgkd-mask-legend" />}
      {note && <div className="hgkd-map-note">{note}</div>}
    </figure>
  );
});

export function MaskView({ snapshot, step }: { snapshot: HgkdSnapshot | null; step: number | null }) {
  if (!snapshot) {
    return (
      <section className="hgkd-mask-view" aria-label="Mask view" data-testid="hgkd-mask-view">
        <h3>Mask view</h3>
        <ImagePicker label={null} />
        <p className="feature-empty">The masked image and the student's sparse feature maps appear after the first distillation step.</p>
      </section>
    );
  }
  const { size, image, mask, masked, scales, sparse, maskRatio, label } = snapshot;
  const imageScale = scaleFor([image]);
  return (
    <section className="hgkd-mask-view" aria-label="Mask view" data-testid="hgkd-mask-view" data-step={step ?? 0} data-sparse={sparse}>
      <h3>
        Mask view <span className="feature-step">{`test image ${snapshot.index} (label ${label}) · mask ratio ${maskRatio} · ${sparse ? 'sparse conv' : 'dense conv (sparse off)'} · after step ${step}`}</span>
      </h3>
      <ImagePicker label={null} />
      <div className="hgkd-map-grid">
        <MapCanvas id="input" title="Input" hint="The test image" values={image} h={size} w={size} scale={imageScale} />
        <MapCanvas id="mask" title="Patch mask" hint="1 = visible patch; the same seeded mask in every snapshot of the run" values={mask} h={size} w={size} scale={MASK_SCALE} legend />
        <MapCanvas id="masked" title="Masked input" hint="What the student encoder gets" values={masked} h={size} w={size} scale={imageScale} />
        {scales.map((m) => {
          const { holes, filled } = holeStats(m);
          const [h, w, c] = m.shape;
          const note = holes === 0 ? 'no holes' : filled === 0 ? 'holes exactly 0' : `${pct(filled / holes)} of holes filled`;
          return (
            <MapCanvas
              key={m.scale}
              id={`scale-${m.scale}`}
              title={`Scale ${m.scale + 1}: ${h}×${w}×${c}`}
              hint={`Mean |feature| over ${c} channels of encoder stage ${m.scale + 1}; ${holes} of ${h * w} positions are masked at this scale`}
              values={m.attention}
              h={h}
              w={w}
              scale={scaleFor([m.attention])}
              note={note}
            />
          );
        })}
      </div>
    </section>
  );
}
