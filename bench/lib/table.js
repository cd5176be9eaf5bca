#!/usr/bin/env node
// Prints the rows that whole.js wrote as one Markdown table and checks that every figure
// has a row (bench/run --quick relies on that; the numbers are never judged here).
//   node table.js ROWS.json [--check]
"use strict";
const fs = require("node:fs");

const [file, ...rest] = process.argv.slice(2);
const data = JSON.parse(fs.readFileSync(file, "utf8"));
const EXPECTED = [
  "process start to hello_ack", "idle RSS", "CPU seconds", "binary size", "shell output throughput",
  "keystroke echo latency p50", "keystroke echo latency p99", "admin_run", "backup plan", "fresh local backup", "no-change backup",
];

const digits = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
function show(v) {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v;
  if (v.p50 !== undefined) return `p50 ${digits(v.p50)} / p99 ${digits(v.p99)} (n=${v.n})`;
  if (v.n > 1 && v.min !== undefined) return `${digits(v.median)} (${digits(v.min)}–${digits(v.max)}, n=${v.n})`;
  return digits(v.median);
}
function ratio(r) {
  const t = r.tether, ref = r.reference;
  if (!t || !ref || typeof t === "string" || typeof ref === "string") return "—";
  if (t.p50 !== undefined) return `${(t.p50 / ref.p50).toFixed(2)}× p50 (overhead ${(t.p50 - ref.p50).toFixed(2)} ms)`;
  return `${(t.median / ref.median).toFixed(2)}×`;
}

const lines = [
  "| figure | Tether: median (min–max) | reference: median (min–max) | ratio | goal | notes |",
  "| --- | --- | --- | --- | --- | --- |",
];
for (const r of data.rows) {
  const unit = r.unit ? ` [${r.unit}]` : "";
  const ref = r.reference ? `${show(r.reference)} — ${r.refName}` : r.refName || "—";
  const cells = [`${r.figure}${unit}`, show(r.tether), ref, ratio(r), r.goal || "", r.note || ""];
  lines.push(`| ${cells.map((c) => String(c).replace(/\|/g, "\\|")).join(" | ")} |`);
}
console.log(lines.join("\n"));

if (rest.includes("--check")) {
  const missing = EXPECTED.filter((e) => !data.rows.some((r) => r.figure.startsWith(e)));
  const failed = data.rows.filter((r) => typeof r.tether === "string" && r.tether.startsWith("failed"));
  if (data.error || missing.length || failed.length) {
    console.error(`bench: rows missing: [${missing.join(", ")}] failed: [${failed.map((r) => r.figure).join(", ")}] ${data.error || ""}`);
    process.exit(1);
  }
  console.error(`bench: all ${EXPECTED.length} figures have a row`);
}
