/**
 * A DET curve as SVG: false rejects (0-100 %) against false accepts per hour (log scale; zero drawn at 0.01), one line per
 * wake word, the configured threshold marked. PNG through rsvg-convert (Debian: librsvg2-bin) when
 * it is installed; without it the SVG is written and the caller says so.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { WordReport } from './wake.js';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
const W = 640, H = 420, L = 60, R = 150, T = 30, B = 50;

export function detSvg(reports: readonly WordReport[], title: string): string {
  const faMin = 0.01, faMax = 100;
  const x = (fa: number) => L + ((Math.log10(Math.min(faMax, Math.max(faMin, fa))) - Math.log10(faMin)) / (Math.log10(faMax) - Math.log10(faMin))) * (W - L - R);
  const y = (frr: number) => T + (1 - Math.min(1, frr)) * (H - T - B);
  const parts: string[] = [`<rect width="${W}" height="${H}" fill="white"/>`, `<text x="${W / 2}" y="18" font-size="14" text-anchor="middle" font-family="sans-serif">${title}</text>`];
  for (const fa of [0.01, 0.1, 0.5, 1, 10, 100]) {
    parts.push(`<line x1="${x(fa)}" y1="${T}" x2="${x(fa)}" y2="${H - B}" stroke="#ddd"/>`, `<text x="${x(fa)}" y="${H - B + 16}" font-size="11" text-anchor="middle" font-family="sans-serif">${fa}</text>`);
  }
  for (const frr of [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1]) {
    parts.push(`<line x1="${L}" y1="${y(frr)}" x2="${W - R}" y2="${y(frr)}" stroke="#ddd"/>`, `<text x="${L - 6}" y="${y(frr) + 4}" font-size="11" text-anchor="end" font-family="sans-serif">${Math.round(frr * 100)}%</text>`);
  }
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" font-size="12" text-anchor="middle" font-family="sans-serif">false accepts per hour (log)</text>`,
    `<text x="16" y="${(T + H - B) / 2}" font-size="12" text-anchor="middle" font-family="sans-serif" transform="rotate(-90 16 ${(T + H - B) / 2})">false rejects</text>`,
    `<line x1="${x(0.5)}" y1="${T}" x2="${x(0.5)}" y2="${H - B}" stroke="#888" stroke-dasharray="4 3"/>`);
  reports.forEach((r, i) => {
    const c = COLORS[i % COLORS.length]!;
    const pts = [...r.det].sort((a, b) => a.faPerHour - b.faPerHour).map((p) => `${x(p.faPerHour).toFixed(1)},${y(p.frr).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${pts}" fill="none" stroke="${c}" stroke-width="2"/>`);
    parts.push(`<circle cx="${x(r.faPerHour)}" cy="${y(r.falseRejects / Math.max(1, r.positives))}" r="4" fill="${c}"/>`);
    parts.push(`<text x="${W - R + 12}" y="${T + 16 + i * 18}" font-size="12" fill="${c}" font-family="sans-serif">${r.word} (t=${r.threshold})</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${parts.join('')}</svg>\n`;
}

/** Writes the curve; returns the file written (PNG when rsvg-convert exists, else SVG beside it). */
export function writeDet(reports: readonly WordReport[], path: string, title: string): string {
  return writeImage(detSvg(reports, title), path);
}

/** An SVG to `path`: PNG through rsvg-convert when the path ends in .png and it is installed, else the SVG beside it. */
export function writeImage(svg: string, path: string): string {
  if (!path.endsWith('.png')) { writeFileSync(path, svg); return path; }
  try {
    execFileSync('rsvg-convert', ['-f', 'png', '-o', path], { input: svg });
    return path;
  } catch {
    const svgPath = path.replace(/\.png$/, '.svg');
    writeFileSync(svgPath, svg);
    return svgPath;
  }
}
