/**
 * The charts as one PNG: each chart's recharts SVG is serialised, drawn into a canvas at its
 * place on the page (at 2× for sharpness) under its caption, on the page's panel colour.
 * Colours in recharts' SVG are attributes, so the serialised SVG looks as on screen.
 */

const SCALE = 2;

function loadSvg(svg: SVGSVGElement, width: number, height: number): Promise<HTMLImageElement> {
  const copy = svg.cloneNode(true) as SVGSVGElement;
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
    if (caption) {
      const c = caption.getBoundingClientRect();
      ctx.fillStyle = style.color;
      ctx.font = `600 12px ${style.fontFamily}`;
      ctx.textBaseline = 'top';
      ctx.fillText(caption.textContent ?? '', c.left - box.left + 6, c.top - box.top + 2, c.width - 6);
    }
    ctx.drawImage(await loadSvg(svg, r.width, r.height), r.left - box.left, r.top - box.top, r.width, r.height);
  }
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'));
}
