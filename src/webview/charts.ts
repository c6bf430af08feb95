/**
 * Line charts drawn as SVG by script (no libraries): training and validation curves of loss or
 * accuracy over epochs, with axes, grid lines and a legend. Colours come from CSS classes.
 */
import { s } from './dom';

/** One curve: points (x in epochs) and the CSS class that colours it. */
export interface Series {
  readonly name: string;
  readonly className: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  /** Draw a dot on each point (for per-epoch series). */
  readonly dots?: boolean;
}

const WIDTH = 360;
const HEIGHT = 180;
const MARGIN = { left: 40, right: 10, top: 22, bottom: 26 };

/** A chart of the series over [0, xMax] epochs; `yMax` undefined = from the data. */
export function lineChart(
  title: string,
  series: readonly Series[],
  xMax: number,
  yMax: number | undefined,
  format: (y: number) => string,
): SVGElement {
  const finite = series.flatMap((line) => line.points.filter((p) => Number.isFinite(p.y)));
  const top = yMax ?? finite.reduce((highest, p) => Math.max(highest, p.y), 0.1) * 1.1;
  const right = Math.max(1, xMax);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + (x / right) * plotWidth;
  const sy = (y: number) => MARGIN.top + plotHeight - (Math.min(Math.max(y, 0), top) / top) * plotHeight;
  const svg = s('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    class: 'chart',
    role: 'img',
    'aria-label': `${title} chart`,
  });
  svg.append(s('text', { x: MARGIN.left, y: 14, class: 'chart-title' }, title));
  for (let i = 0; i <= 4; i++) {
    const y = (top * i) / 4;
    svg.append(s('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: sy(y), y2: sy(y), class: 'grid' }));
    svg.append(s('text', { x: MARGIN.left - 4, y: sy(y) + 3, class: 'tick tick-y' }, format(y)));
  }
  const step = Math.max(1, Math.ceil(right / 10));
  for (let x = 0; x <= right; x += step) {
    svg.append(s('text', { x: sx(x), y: HEIGHT - 10, class: 'tick tick-x' }, String(x)));
  }
  svg.append(s('text', { x: WIDTH - MARGIN.right, y: HEIGHT - 1, class: 'tick tick-x-label' }, 'epoch'));
  svg.append(
    s('line', { x1: MARGIN.left, x2: MARGIN.left, y1: MARGIN.top, y2: MARGIN.top + plotHeight, class: 'axis' }),
  );
  svg.append(
    s('line', {
      x1: MARGIN.left,
      x2: WIDTH - MARGIN.right,
      y1: MARGIN.top + plotHeight,
      y2: MARGIN.top + plotHeight,
      class: 'axis',
    }),
  );
  series.forEach((line, i) => {
    const points = line.points.filter((p) => Number.isFinite(p.y));
    if (points.length > 1)
      svg.append(
        s('polyline', {
          points: points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' '),
          class: `series ${line.className}`,
        }),
      );
    if (line.dots || points.length === 1)
      points.forEach((p) =>
        svg.append(s('circle', { cx: sx(p.x), cy: sy(p.y), r: 2.5, class: `dot ${line.className}` })),
      );
    const lx = WIDTH - MARGIN.right - 150 + i * 78;
    svg.append(s('line', { x1: lx, x2: lx + 14, y1: 10, y2: 10, class: `series ${line.className}` }));
    svg.append(s('text', { x: lx + 18, y: 14, class: 'legend' }, line.name));
  });
  return svg;
}
