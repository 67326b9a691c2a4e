// A small SVG bar chart, drawn here (no chart library, no external service): one panel per
// series of `{ label, value, text, highlight }` bars, each panel scaled to its own largest value.

const WIDTH = 760;
const LABEL_WIDTH = 300;
const BAR_HEIGHT = 18;
const ROW_GAP = 6;
const PANEL_GAP = 26;
const TITLE_HEIGHT = 22;

/** Renders panels (`{ title, bars }`) as one SVG document. */
export function barChart(panels, { title = 'toolwire benchmarks' } = {}) {
  const parts = [];
  let y = 8;
  for (const panel of panels) {
    parts.push(text(8, y + 15, panel.title, { size: 13, weight: 'bold' }));
    y += TITLE_HEIGHT;
    const largest = Math.max(...panel.bars.map((bar) => bar.value).filter(Number.isFinite), 0) || 1;
    const room = WIDTH - LABEL_WIDTH - 110;
    for (const bar of panel.bars) {
      const width = Number.isFinite(bar.value) ? Math.max(1, (bar.value / largest) * room) : 0;
      parts.push(text(LABEL_WIDTH - 8, y + 13, bar.label, { anchor: 'end' }));
      parts.push(
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" rx="2" fill="${bar.highlight ? '#2563eb' : '#9ca3af'}"/>`,
      );
      parts.push(text(LABEL_WIDTH + width + 6, y + 13, bar.text));
      y += BAR_HEIGHT + ROW_GAP;
    }
    y += PANEL_GAP - ROW_GAP;
  }
  const height = y;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="title" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">`,
    `<title id="title">${escapeXml(title)}: ${escapeXml(panels.map((panel) => panel.title).join('; '))}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function text(x, y, content, { size = 12, weight = 'normal', anchor = 'start' } = {}) {
  return `<text x="${x.toFixed(1)}" y="${y}" font-size="${size}" font-weight="${weight}" text-anchor="${anchor}" fill="#111827">${escapeXml(content)}</text>`;
}

function escapeXml(value) {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
