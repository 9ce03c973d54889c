/**
 * The charts as one PNG: each chart's recharts SVG is serialised, drawn into a canvas at its
 * place on the page (at 2× for sharpness) under its caption, on the page's panel colour.
 *
 * A serialised SVG is drawn as a standalone image, without the page's style sheets: our colours
 * are CSS variables (`stroke="var(--series-task)"`), which resolve to nothing there. So every
 * element of the copy gets its computed paint and font written inline first. Captions are drawn
 * piece by piece (title, each legend entry in its colour, at its place), as on screen.
 */

const SCALE = 2;

/** Properties that decide what an SVG element looks like; copied as computed values. */
const PAINT = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'stroke-linejoin', 'paint-order', 'opacity',
  'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'visibility', 'display',
] as const;

/**
 * Writes each element's computed paint into its copy (same tree shape: the copy is a clone).
 * Through CSSOM (`style.cssText`): the Content-Security-Policy refuses `setAttribute('style')`.
 */
function inlineStyles(original: Element, copy: Element): void {
  const style = getComputedStyle(original);
  (copy as SVGElement).style.cssText = PAINT.map((p) => `${p}:${style.getPropertyValue(p)}`).join(';');
  for (let i = 0; i < original.children.length; i++) inlineStyles(original.children[i], copy.children[i]);
}

function loadSvg(svg: SVGSVGElement, width: number, height: number): Promise<HTMLImageElement> {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(svg, copy);
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  const xml = new XMLSerializer().serializeToString(copy);
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('a chart could not be drawn as an image'));
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(xml)}`;
  });
}

/** The text of a `::before` (a legend entry's line sample), or ''. */
function beforeText(el: Element): string {
  const c = getComputedStyle(el, '::before').content;
  return c && c !== 'none' && c !== 'normal' ? c.replace(/^["']|["']$/g, '') : '';
}

/** Draws a caption: each text run and legend entry at its own place, in its own colour and font. */
function drawCaption(ctx: CanvasRenderingContext2D, caption: HTMLElement, box: DOMRect): void {
  ctx.textBaseline = 'top';
  const draw = (text: string, rect: DOMRect, style: CSSStyleDeclaration) => {
    if (!text.trim() || rect.width === 0) return;
    ctx.fillStyle = style.color;
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    ctx.fillText(text, rect.left - box.left, rect.top - box.top + 1);
  };
  for (const node of caption.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      const range = document.createRange();
      range.selectNodeContents(node);
      draw(node.textContent ?? '', range.getBoundingClientRect(), getComputedStyle(caption));
    } else if (node instanceof HTMLElement) {
      draw(beforeText(node) + (node.textContent ?? ''), node.getBoundingClientRect(), getComputedStyle(node));
    }
  }
}

/** Draws every `figure` with an SVG chart inside `root` into one PNG. */
export async function chartsPng(root: HTMLElement): Promise<Blob> {
  const figures = [...root.querySelectorAll<HTMLElement>('figure')].filter((f) => f.querySelector('svg.recharts-surface'));
  if (figures.length === 0) throw new Error('no charts to export yet');
  const box = root.getBoundingClientRect();
  const style = getComputedStyle(root);
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(box.width * SCALE);
  canvas.height = Math.ceil(box.height * SCALE);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(SCALE, SCALE);
  ctx.fillStyle = style.getPropertyValue('--panel').trim() || '#fff';
  ctx.fillRect(0, 0, box.width, box.height);
  for (const figure of figures) {
    const svg = figure.querySelector<SVGSVGElement>('svg.recharts-surface')!;
    const r = svg.getBoundingClientRect();
    const caption = figure.querySelector('figcaption');
    if (caption) drawCaption(ctx, caption, box);
    ctx.drawImage(await loadSvg(svg, r.width, r.height), r.left - box.left, r.top - box.top, r.width, r.height);
  }
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'));
}
