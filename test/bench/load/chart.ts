/**
 * The load benchmark's chart: requests waiting in the queue, jobs in the workers' hands
 * and plans published, over time. Drawn as SVG and rendered to PNG with resvg (offline,
 * system fonts), as the localization chart is.
 */
import { writeFileSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";

export interface DepthSample {
  /** Seconds since the first Action started. */
  t: number;
  /** Messages ready in the request queue. */
  ready: number;
  /** Jobs the workers had started and not finished. */
  inFlight: number;
  /** Action runs finished so far. */
  done: number;
}

/** Writes a PNG line chart of the samples to `file`. */
export function renderDepthChart(
  samples: readonly DepthSample[],
  total: number,
  file: string,
): void {
  const width = 760;
  const height = 340;
  const left = 50;
  const right = 50;
  const top = 40;
  const plotH = 230;
  const plotW = width - left - right;
  const tMax = Math.max(1, ...samples.map((s) => s.t));
  const depthMax = Math.max(4, ...samples.map((s) => s.ready + s.inFlight));
  const x = (t: number) => left + (plotW * t) / tMax;
  const y = (v: number, max: number) => top + plotH - (plotH * v) / max;
  const line = (values: (s: DepthSample) => number, max: number) =>
    samples
      .map((s, i) => `${i === 0 ? "M" : "L"}${x(s.t).toFixed(1)},${y(values(s), max).toFixed(1)}`)
      .join(" ");
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">Load: ${total} plan requests, 20 concurrent Actions, 2 workers</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = Math.round((depthMax * i) / 4);
    const yy = y(v, depthMax);
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 5}" y="${yy + 4}" font-size="10" text-anchor="end">${v}</text>`);
    const done = Math.round((total * i) / 4);
    parts.push(
      `<text x="${width - right + 5}" y="${y(done, total) + 4}" font-size="10" fill="#2f855a">${done}</text>`,
    );
  }
  for (let i = 0; i <= 5; i++) {
    const t = (tMax * i) / 5;
    parts.push(
      `<text x="${x(t)}" y="${top + plotH + 15}" font-size="10" text-anchor="middle">${t.toFixed(0)} s</text>`,
    );
  }
  parts.push(
    `<path d="${line((s) => s.done, total)}" fill="none" stroke="#2f855a" stroke-width="1.5" stroke-dasharray="4 3"/>`,
  );
  parts.push(
    `<path d="${line((s) => s.ready + s.inFlight, depthMax)}" fill="none" stroke="#a0aec0" stroke-width="1.5"/>`,
  );
  parts.push(
    `<path d="${line((s) => s.ready, depthMax)}" fill="none" stroke="#2b6cb0" stroke-width="2"/>`,
  );
  const legend = [
    ["#2b6cb0", "ready in the queue (left axis)"],
    ["#a0aec0", "ready + being worked on (left axis)"],
    ["#2f855a", "Action runs finished (right axis)"],
  ] as const;
  legend.forEach(([colour, label], i) => {
    const lx = left + i * 230;
    parts.push(
      `<line x1="${lx}" x2="${lx + 20}" y1="${height - 22}" y2="${height - 22}" stroke="${colour}" stroke-width="2"/>`,
    );
    parts.push(`<text x="${lx + 25}" y="${height - 18}" font-size="11">${label}</text>`);
  });
  parts.push("</svg>");
  const png = new Resvg(parts.join("\n"), { font: { loadSystemFonts: true } }).render().asPng();
  writeFileSync(file, png);
}
