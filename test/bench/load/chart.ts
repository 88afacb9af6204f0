/**
 * The load benchmarks' charts: line series over time on a left and an optional right
 * axis, with optional vertical markers (a node killed, say). Drawn as SVG and rendered
 * to PNG with resvg (offline, system fonts), as the localization chart is. The queue-depth
 * chart of every load benchmark and the soak's memory and connection charts are drawn by
 * renderLineChart.
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

export interface Series {
  label: string;
  colour: string;
  /** Which axis the values are read against (default left). */
  axis?: "left" | "right";
  dashed?: boolean;
  /** [seconds, value] pairs. */
  points: readonly (readonly [number, number])[];
}

export interface LineChart {
  title: string;
  series: readonly Series[];
  /** Axis maxima; default the largest value on the axis (at least 4), rounded up. */
  leftMax?: number;
  rightMax?: number;
  /** Axis captions, drawn above each axis. */
  leftUnit?: string;
  rightUnit?: string;
  /** Vertical lines at these times, labelled. */
  markers?: readonly { t: number; label: string }[];
}

const COLUMN_WIDTH = 250;

/** Writes a PNG line chart to `file`. */
export function renderLineChart(chart: LineChart, file: string): void {
  const width = 760;
  const left = 55;
  const right = 55;
  const top = 50;
  const plotH = 230;
  const plotW = width - left - right;
  const legendRows = Math.ceil(chart.series.length / 3);
  const height = top + plotH + 30 + legendRows * 18 + 8;
  const all = chart.series.flatMap((s) => s.points);
  const tMax = Math.max(1, ...all.map(([t]) => t));
  const axisMax = (axis: "left" | "right") =>
    Math.max(
      4,
      ...chart.series
        .filter((s) => (s.axis ?? "left") === axis)
        .flatMap((s) => s.points.map(([, v]) => v)),
    );
  const max = {
    left: chart.leftMax ?? roundAxisMax(axisMax("left")),
    right: chart.rightMax ?? roundAxisMax(axisMax("right")),
  };
  const hasRight = chart.series.some((s) => s.axis === "right");
  const x = (t: number) => left + (plotW * t) / tMax;
  const y = (v: number, axisTop: number) => top + plotH - (plotH * v) / axisTop;
  const label = (v: number) => (v >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  if (chart.leftUnit)
    parts.push(
      `<text x="${left}" y="${top - 10}" font-size="10">${escapeXml(chart.leftUnit)}</text>`,
    );
  if (chart.rightUnit && hasRight)
    parts.push(
      `<text x="${width - right}" y="${top - 10}" font-size="10" text-anchor="end">${escapeXml(chart.rightUnit)}</text>`,
    );
  for (let i = 0; i <= 4; i++) {
    const v = (max.left * i) / 4;
    const yy = y(v, max.left);
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`);
    parts.push(
      `<text x="${left - 5}" y="${yy + 4}" font-size="10" text-anchor="end">${label(v)}</text>`,
    );
    if (hasRight) {
      const r = (max.right * i) / 4;
      parts.push(
        `<text x="${width - right + 5}" y="${y(r, max.right) + 4}" font-size="10">${label(r)}</text>`,
      );
    }
  }
  for (let i = 0; i <= 5; i++) {
    const t = (tMax * i) / 5;
    parts.push(
      `<text x="${x(t)}" y="${top + plotH + 15}" font-size="10" text-anchor="middle">${t.toFixed(0)} s</text>`,
    );
  }
  for (const marker of chart.markers ?? []) {
    const xx = x(marker.t).toFixed(1);
    parts.push(
      `<line x1="${xx}" x2="${xx}" y1="${top}" y2="${top + plotH}" stroke="#c53030" stroke-width="1.5"/>`,
    );
    parts.push(
      `<text x="${Number(xx) + 4}" y="${top + 12}" font-size="11" fill="#c53030">${escapeXml(marker.label)}</text>`,
    );
  }
  for (const series of chart.series) {
    const axisTop = max[series.axis ?? "left"];
    const d = series.points
      .map(
        ([t, v], i) =>
          `${i === 0 ? "M" : "L"}${x(t).toFixed(1)},${y(Math.min(v, axisTop), axisTop).toFixed(1)}`,
      )
      .join(" ");
    parts.push(
      `<path d="${d}" fill="none" stroke="${series.colour}" stroke-width="${series.dashed ? 1.5 : 2}"${series.dashed ? ' stroke-dasharray="4 3"' : ""}/>`,
    );
  }
  chart.series.forEach((series, i) => {
    const lx = left + (i % 3) * COLUMN_WIDTH;
    const ly = top + plotH + 34 + Math.floor(i / 3) * 18;
    const axis = hasRight ? ` (${series.axis === "right" ? "right" : "left"} axis)` : "";
    parts.push(
      `<line x1="${lx}" x2="${lx + 20}" y1="${ly - 4}" y2="${ly - 4}" stroke="${series.colour}" stroke-width="2"${series.dashed ? ' stroke-dasharray="4 3"' : ""}/>`,
    );
    parts.push(
      `<text x="${lx + 25}" y="${ly}" font-size="11">${escapeXml(series.label + axis)}</text>`,
    );
  });
  parts.push("</svg>");
  const png = new Resvg(parts.join("\n"), { font: { loadSystemFonts: true } }).render().asPng();
  writeFileSync(file, png);
}

/**
 * The queue-depth chart: requests waiting in the queue, jobs in the workers' hands and
 * Action runs finished, over time.
 */
export function renderDepthChart(
  samples: readonly DepthSample[],
  total: number,
  file: string,
  options: { title?: string; markers?: LineChart["markers"] } = {},
): void {
  renderLineChart(
    {
      title: options.title ?? `Load: ${total} plan requests, 20 concurrent Actions, 2 workers`,
      leftUnit: "requests",
      rightUnit: "runs finished",
      rightMax: total,
      markers: options.markers,
      series: [
        {
          label: "ready in the queue",
          colour: "#2b6cb0",
          points: samples.map((s) => [s.t, s.ready]),
        },
        {
          label: "ready + being worked on",
          colour: "#a0aec0",
          points: samples.map((s) => [s.t, s.ready + s.inFlight]),
        },
        {
          label: "Action runs finished",
          colour: "#2f855a",
          axis: "right",
          dashed: true,
          points: samples.map((s) => [s.t, s.done]),
        },
      ],
    },
    file,
  );
}

/** An axis maximum at or above `value` whose four gridlines get whole, round labels. */
export function roundAxisMax(value: number): number {
  const quarter = Math.max(value, 4) / 4;
  if (quarter <= 10) return 4 * Math.ceil(quarter);
  const step = 10 ** Math.floor(Math.log10(quarter));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8]) if (step * m >= quarter) return 4 * step * m;
  return 40 * step;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
