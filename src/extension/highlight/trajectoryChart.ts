/** Fixed colours of the chart image (an image cannot use theme colours): negative, neutral, positive. */
const CHART_COLOURS = {
  negative: '#e5534b',
  neutral: '#8b949e',
  positive: '#3fb950',
  line: '#58a6ff',
  current: '#f0b72f',
};

/** Escapes text for SVG/XML. */
function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A small SVG line chart of a sentence's trajectory (scores in [-1, 1], one point per word), the
 * word at `current` marked and labelled, as a `data:image/svg+xml;base64,...` URI that Markdown
 * hovers display as an image.
 */
export function trajectoryChartUri(scores: readonly number[], words: readonly string[], current: number): string {
  const width = 320;
  const height = 96;
  const pad = { left: 26, right: 8, top: 8, bottom: 20 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (i: number): number => pad.left + (scores.length <= 1 ? plotW / 2 : (i / (scores.length - 1)) * plotW);
  const y = (s: number): number => pad.top + ((1 - Math.max(-1, Math.min(1, s))) / 2) * plotH;
  const colour = (s: number): string =>
    s >= 0.2 ? CHART_COLOURS.positive : s <= -0.2 ? CHART_COLOURS.negative : CHART_COLOURS.neutral;
  const points = scores.map((s, i) => `${x(i).toFixed(1)},${y(s).toFixed(1)}`).join(' ');
  const dots = scores
    .map(
      (s, i) =>
        `<circle cx="${x(i).toFixed(1)}" cy="${y(s).toFixed(1)}" r="${i === current ? 4 : 2.2}" fill="${i === current ? CHART_COLOURS.current : colour(s)}"/>`,
    )
    .join('');
  const label = words[current] ?? '';
  const labelX = Math.min(Math.max(x(current), pad.left + 20), width - pad.right - 20);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="10">`,
    `<rect x="${pad.left}" y="${pad.top}" width="${plotW}" height="${plotH / 2}" fill="${CHART_COLOURS.positive}" opacity="0.08"/>`,
    `<rect x="${pad.left}" y="${pad.top + plotH / 2}" width="${plotW}" height="${plotH / 2}" fill="${CHART_COLOURS.negative}" opacity="0.08"/>`,
    `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(0)}" y2="${y(0)}" stroke="${CHART_COLOURS.neutral}" stroke-dasharray="3 3"/>`,
    `<text x="2" y="${y(1) + 8}" fill="${CHART_COLOURS.positive}">+1</text>`,
    `<text x="6" y="${y(0) + 3}" fill="${CHART_COLOURS.neutral}">0</text>`,
    `<text x="2" y="${y(-1)}" fill="${CHART_COLOURS.negative}">−1</text>`,
    `<line x1="${x(current)}" x2="${x(current)}" y1="${pad.top}" y2="${pad.top + plotH}" stroke="${CHART_COLOURS.current}" opacity="0.5"/>`,
    `<polyline points="${points}" fill="none" stroke="${CHART_COLOURS.line}" stroke-width="1.6"/>`,
    dots,
    `<text x="${labelX}" y="${height - 5}" fill="${CHART_COLOURS.current}" text-anchor="middle">${xml(label)}</text>`,
    `</svg>`,
  ].join('');
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
