/**
 * The amortized model's trade as a picture: word error rate against the share of block compute
 * skipped, one point per arbitrator threshold (the knob), the all-blocks reference at 0.
 */
export interface CurvePoint { readonly threshold: number; readonly skipped: number; readonly wer: number }

const W = 640, H = 420, L = 60, R = 40, T = 30, B = 50;

export function curveSvg(points: readonly CurvePoint[], title: string): string {
  const maxWer = Math.max(0.05, ...points.map((p) => p.wer)) * 1.15;
  const x = (s: number) => L + s * (W - L - R);
  const y = (w: number) => T + (1 - w / maxWer) * (H - T - B);
  const parts = [`<rect width="${W}" height="${H}" fill="white"/>`, `<text x="${W / 2}" y="18" font-size="14" text-anchor="middle" font-family="sans-serif">${title}</text>`];
  for (let s = 0; s <= 1.001; s += 0.1) {
    parts.push(`<line x1="${x(s)}" y1="${T}" x2="${x(s)}" y2="${H - B}" stroke="#ddd"/>`, `<text x="${x(s)}" y="${H - B + 16}" font-size="11" text-anchor="middle" font-family="sans-serif">${Math.round(s * 100)}%</text>`);
  }
  const step = maxWer > 0.5 ? 0.1 : maxWer > 0.2 ? 0.05 : 0.02;
  for (let w = 0; w <= maxWer; w += step) {
    parts.push(`<line x1="${L}" y1="${y(w)}" x2="${W - R}" y2="${y(w)}" stroke="#ddd"/>`, `<text x="${L - 6}" y="${y(w) + 4}" font-size="11" text-anchor="end" font-family="sans-serif">${(w * 100).toFixed(0)}%</text>`);
  }
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" font-size="12" text-anchor="middle" font-family="sans-serif">block compute skipped</text>`,
    `<text x="16" y="${(T + H - B) / 2}" font-size="12" text-anchor="middle" font-family="sans-serif" transform="rotate(-90 16 ${(T + H - B) / 2})">word error rate</text>`);
  const sorted = [...points].sort((a, b) => a.skipped - b.skipped);
  parts.push(`<polyline points="${sorted.map((p) => `${x(p.skipped).toFixed(1)},${y(p.wer).toFixed(1)}`).join(' ')}" fill="none" stroke="#1f77b4" stroke-width="2"/>`);
  for (const p of sorted) {
    parts.push(`<circle cx="${x(p.skipped)}" cy="${y(p.wer)}" r="4" fill="#1f77b4"/>`,
      `<text x="${x(p.skipped) + 6}" y="${y(p.wer) - 6}" font-size="10" font-family="sans-serif">t=${p.threshold}</text>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${parts.join('')}</svg>\n`;
}
