/**
 * The README chart: Acc@1/3/5/10 of the ranking and of plain BM25 per set, as grouped
 * bars, drawn as SVG and rendered to PNG with resvg (offline, system fonts).
 */
import { writeFileSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import type { Summary } from "./metrics.js";

interface ChartRow {
  name: string;
  ours: Summary;
  bm25: Summary;
}

const KS = [1, 3, 5, 10] as const;

/** Writes a PNG chart of the given rows (one panel per row) to `file`. */
export function renderChart(rows: readonly ChartRow[], file: string): void {
  const panels = rows.filter((r) => !r.name.startsWith("  ") || r.ours.n >= 5);
  const panelWidth = 220;
  const width = 60 + panels.length * panelWidth;
  const height = 320;
  const top = 50;
  const plot = 200;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">File localization: Acc@k (all gold files in top k), ranking vs plain BM25</text>`,
  ];
  for (let t = 0; t <= 100; t += 25) {
    const y = top + plot - (plot * t) / 100;
    parts.push(`<line x1="45" x2="${width - 10}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="40" y="${y + 4}" font-size="10" text-anchor="end">${t}%</text>`);
  }
  panels.forEach((row, p) => {
    const x0 = 55 + p * panelWidth;
    KS.forEach((k, j) => {
      const x = x0 + j * 50;
      const ours = row.ours.acc[k];
      const base = row.bm25.acc[k];
      const hOurs = (plot * ours) / 100;
      const hBase = (plot * base) / 100;
      parts.push(
        `<rect x="${x}" y="${top + plot - hOurs}" width="20" height="${hOurs}" fill="#2b6cb0"/>`,
      );
      parts.push(
        `<rect x="${x + 21}" y="${top + plot - hBase}" width="20" height="${hBase}" fill="#a0aec0"/>`,
      );
      parts.push(
        `<text x="${x + 10}" y="${top + plot - hOurs - 3}" font-size="9" text-anchor="middle">${Math.round(ours)}</text>`,
      );
      parts.push(
        `<text x="${x + 31}" y="${top + plot - hBase - 3}" font-size="9" text-anchor="middle">${Math.round(base)}</text>`,
      );
      parts.push(
        `<text x="${x + 20}" y="${top + plot + 14}" font-size="10" text-anchor="middle">@${k}</text>`,
      );
    });
    parts.push(
      `<text x="${x0 + 95}" y="${top + plot + 32}" font-size="11" text-anchor="middle">${escapeXml(row.name.trim())} (n=${row.ours.n})</text>`,
    );
  });
  const ly = height - 22;
  parts.push(
    `<rect x="55" y="${ly}" width="12" height="12" fill="#2b6cb0"/><text x="72" y="${ly + 10}" font-size="11">ranking (issue-agent context)</text>`,
  );
  parts.push(
    `<rect x="260" y="${ly}" width="12" height="12" fill="#a0aec0"/><text x="277" y="${ly + 10}" font-size="11">plain BM25, same harness</text>`,
  );
  parts.push("</svg>");
  const png = new Resvg(parts.join("\n"), { background: "white" }).render().asPng();
  writeFileSync(file, png);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
