/**
 * The legend of a 0/1 mask drawn on `MASK_SCALE`: which colour is kept and which masked, in
 * words (a gradient from 0 to 1 would suggest values in between, which a mask never has).
 */
import { type ColorScale, colourCss } from '../../colormap';

export const MASK_SCALE: ColorScale = { map: 'viridis', min: 0, max: 1 };

export function MaskLegend({ testId, kept = 'kept', masked = 'masked' }: { testId: string; kept?: string; masked?: string }) {
  return (
    <div className="mask-legend" data-testid={testId}>
      <span className="mask-swatch" style={{ background: colourCss(1, MASK_SCALE) }} />
      {`${kept} (1)`}
      <span className="mask-swatch" style={{ background: colourCss(0, MASK_SCALE) }} />
      {`${masked} (0)`}
    </div>
  );
}
