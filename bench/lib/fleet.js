#!/usr/bin/env node
// Fleet benchmark: N agents of the published binary against ONE real peer on loopback
// (see bench/README.md, "Fleet"). Started by bench/fleet; prints one Markdown table on stdout,
// progress on stderr, and writes the rows as JSON to --out.
//   node fleet.js --agent BIN --out FILE [--agents N] [--outage SEC] [--quick] [--keep]
// Every process started here (the peer and all agents) is killed when this script ends,
// whatever the reason; bench/fleet also kills this script's whole process group.
"use strict";
const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const readline = require("node:readline");
const { performance } = require("node:perf_hooks");

const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const QUICK = argv.includes("--quick");
const KEEP = argv.includes("--keep");
const AGENT = opt("--agent");
const OUT = opt("--out");
if (!AGENT || !OUT) { console.error("usage: fleet.js --agent BIN --out FILE [--agents N] [--outage SEC] [--quick] [--keep]"); process.exit(2); }

const ROOT = path.resolve(__dirname, "../..");
const PEER = path.join(ROOT, "tests/peer/server.js");
const TOKEN = "fleet-token";
const STATS_SEC = 5;
const P = QUICK
  ? { agents: 20, settleSec: 10, windowSec: 15, outageSec: 5, coldTimeoutSec: 30, backTimeoutSec: 45, deadlineSec: 150 }
  : { agents: 200, settleSec: 20, windowSec: 60, outageSec: 10, coldTimeoutSec: 60, backTimeoutSec: 120, deadlineSec: 600 };
if (opt("--outage") !== undefined) {
  P.outageSec = Number(opt("--outage"));
  if (!Number.isFinite(P.outageSec) || P.outageSec < 0 || P.outageSec > 300) { console.error("fleet.js: --outage must be 0..300 seconds"); process.exit(2); }
}
if (opt("--agents") !== undefined) {
  P.agents = Number(opt("--agents"));
  if (!Number.isInteger(P.agents) || P.agents < 1 || P.agents > 9999) { console.error("fleet.js: --agents must be 1..9999"); process.exit(2); }
}
const GOALS = { agents: 200, coldStartSec: 5, pssTotalGiB: 1.5, maxSecondShare: 0.25, allBackSec: 45 };
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), "tether-fleet-"));

// ---- process bookkeeping: everything we spawn is killed on the way out ----
const children = new Set();
function track(child) {
  children.add(child);
  child.on("exit", () => children.delete(child));
  child.on("error", () => children.delete(child));
  return child;
}
function killAll() {
  for (const c of children) { try { process.kill(c.pid, "SIGKILL"); } catch { /* gone */ } }
  children.clear();
}
let failed = false;
process.on("exit", () => {
  killAll();
  if (failed || KEEP) console.error(`  [fleet] agent folders and logs kept in ${WORK}`);
  else fs.rmSync(WORK, { recursive: true, force: true });
});
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => { console.error(`fleet.js: ${sig}`); failed = true; process.exit(130); });
setTimeout(() => { console.error(`fleet.js: deadline of ${P.deadlineSec} s passed`); failed = true; process.exit(3); }, P.deadlineSec * 1000).unref();

const now = () => performance.timeOrigin + performance.now();   // same clock as the peer's `at`
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (msg) => process.stderr.write(`  [fleet] ${msg}\n`);
const exited = (child) => child.exitCode !== null || child.signalCode !== null;

async function stopAll(list, graceMs = 5000) {
  const live = list.filter((c) => !exited(c));
  const gone = Promise.all(live.map((c) => new Promise((r) => { if (exited(c)) r(); else c.once("exit", r); })));
  for (const c of live) { try { c.kill("SIGTERM"); } catch { /* gone */ } }
  const t = setTimeout(() => { for (const c of live) { try { c.kill("SIGKILL"); } catch { /* gone */ } } }, graceMs);
  await gone;
  clearTimeout(t);
}

// ---- the peer: one record store across restarts (each record tagged with its generation) ----
const records = [];          // slimmed: kind, at, clientId, event, reason, gen
const waiters = [];
function addRecord(rec) {
  records.push(rec);
  for (let i = waiters.length - 1; i >= 0; i--) {
    if (waiters[i].pred(rec)) { const w = waiters.splice(i, 1)[0]; clearTimeout(w.timer); w.resolve(rec); }
  }
}
function waitFor(pred, timeoutMs, what) {
  const seen = records.find(pred);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const w = { pred, resolve, timer: setTimeout(() => { waiters.splice(waiters.indexOf(w), 1); reject(new Error(`timeout (${timeoutMs / 1000} s) waiting for ${what}`)); }, timeoutMs) };
    waiters.push(w);
  });
}
let peerGen = 0;
let peerErrors = [];

// Listens on `port`; resolves with the child and its `listening` record, or rejects (EADDRINUSE, ...).
function launchPeer(port) {
  const gen = ++peerGen;
  const child = track(spawn(process.execPath, [PEER, "--host", "127.0.0.1", "--port", String(port), "--token", TOKEN], { stdio: ["pipe", "pipe", "pipe"] }));
  let stderr = "";
  let up = false;
  child.stderr.on("data", (d) => { stderr += d; });
  readline.createInterface({ input: child.stdout }).on("line", (line) => {
    let r;
    try { r = JSON.parse(line); } catch { return; }
    if (r.kind === "error" && up) peerErrors.push(r.message);
    addRecord({ kind: r.kind, at: r.at, clientId: r.clientId, event: r.event, reason: r.reason, port: r.port, gen });
  });
  return new Promise((resolve, reject) => {
    // Let readline deliver the last lines (the error record) before judging the exit.
    child.once("close", (code) => { if (!up) reject(new Error(`peer exited (${code}) before listening: ${stderr.trim()}`)); });
    waitFor((r) => r.gen === gen && r.kind === "listening", 15000, "peer listening").then((rec) => {
      up = true;
      child.stderr.removeAllListeners("data");
      child.stderr.on("data", (d) => { peerErrors.push(String(d).trim()); });
      child.stdin.on("error", () => { /* the peer went away; its exit is noticed elsewhere */ });
      resolve({ child, gen, listening: rec, send: (obj) => child.stdin.write(JSON.stringify(obj) + "\n") });
    }, (err) => { try { child.kill("SIGKILL"); } catch { /* gone */ } reject(err); });
  });
}

// A fixed port below the kernel's ephemeral range: agents reconnecting to a closed port on
// loopback could otherwise be given that very port as their source and connect to themselves.
async function startPeerOnFreePort() {
  const [lo] = fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
  const bottom = Math.max(1025, lo - 12000);
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = bottom + Math.floor(Math.random() * (lo - bottom));
    try { return await launchPeer(port); } catch (err) { if (!/EADDRINUSE/.test(err.message)) throw err; }
  }
  throw new Error("no free port below the ephemeral range");
}
async function restartPeer(port) {
  for (let attempt = 1; ; attempt++) {
    try { return await launchPeer(port); } catch (err) {
      if (!/EADDRINUSE/.test(err.message) || attempt >= 50) throw err;
      await sleep(100);
    }
  }
}
async function shutdownPeer(peer) {
  const gone = new Promise((r) => { if (exited(peer.child)) r(); else peer.child.once("exit", r); });
  peer.send({ cmd: "shutdown" });
  const t = setTimeout(() => { try { peer.child.kill("SIGKILL"); } catch { /* gone */ } }, 5000);
  await gone;
  clearTimeout(t);
}

// ---- agents: one folder each ----
function writeAgent(i, port) {
  const clientId = `fleet-${String(i).padStart(4, "0")}`;
  const dir = path.join(WORK, clientId);
  fs.mkdirSync(dir);
  const config = {
    clientId, serverUrl: `http://127.0.0.1:${port}`, authToken: TOKEN, statsIntervalSec: STATS_SEC,
    stateDir: path.join(dir, "state"),
    logging: { file: path.join(dir, "agent.log"), auditFile: path.join(dir, "audit.log") },
  };
  fs.writeFileSync(path.join(dir, "agent-config.json"), JSON.stringify(config, null, 2));
  return { clientId, dir, config: path.join(dir, "agent-config.json") };
}
function spawnAgent(a) {
  a.t0 = now();
  a.child = track(spawn(AGENT, ["run", "--config", a.config], { cwd: a.dir, stdio: ["ignore", "ignore", "ignore"] }));
  a.child.on("exit", (code, sig) => { a.exit = { code, sig, at: now() }; });
}

// ---- /proc readers ----
function cpuTicks(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");   // f[0] is field 3 (state)
  return Number(f[11]) + Number(f[12]);                          // utime (14) + stime (15)
}
// Exact on-CPU time (ns) of the process's live threads; utime+stime above are sampled at the
// timer tick (CONFIG_TICK_CPU_ACCOUNTING), which misses or over-charges short bursts.
function runNs(pid) {
  let total = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try { total += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]); } catch { /* thread ended */ }
  }
  return total;
}
function smapsRollup(pid) {
  const text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const kib = (name) => { const m = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text); return m ? Number(m[1]) : NaN; };
  return { rss: kib("Rss"), pss: kib("Pss"), pssAnon: kib("Pss_Anon"), pssFile: kib("Pss_File"), anon: kib("Anonymous") };
}
function threads(pid) { return Number(/Threads:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]); }

// ---- statistics and output ----
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const f1 = (x) => x.toFixed(1);
const f2 = (x) => x.toFixed(2);
const mib = (kib) => kib / 1024;

const rows = [];
function row(figure, value, goal, notes, met) {
  rows.push({ figure, value, goal: goal || "", notes: notes || "", met: met === undefined ? null : met });
  log(`${figure}: ${value}${met === false ? "  (goal missed)" : ""}`);
}
function goalCell(goal, met) { return goal ? `${goal}${met === true ? " — met" : met === false ? " — **missed**" : ""}` : ""; }
function printTable() {
  const lines = ["| figure | value | goal | notes |", "| --- | --- | --- | --- |"];
  for (const r of rows) lines.push(`| ${[r.figure, r.value, goalCell(r.goal, r.met), r.notes].map((c) => String(c).replace(/\|/g, "\\|")).join(" | ")} |`);
  process.stdout.write(lines.join("\n") + "\n");
}
const EXPECTED = ["agents", "cold start", "memory total", "memory per agent", "fleet CPU", "stats events", "outage: all back", "outage: busiest second", "outage: connection attempts"];

// Per clientId, the first hello_ack the peer sent in generation `gen` (after time `after`).
function firstAcks(gen, after = 0) {
  const m = new Map();
  for (const r of records) {
    if (r.gen === gen && r.kind === "sent" && r.event === "hello_ack" && r.at >= after && !m.has(r.clientId)) m.set(r.clientId, r.at);
  }
  return m;
}
async function waitAllAcked(gen, ids, after, timeoutMs, what) {
  const want = new Set(ids);
  const done = () => { const m = firstAcks(gen, after); return [...want].every((id) => m.has(id)); };
  const deadline = now() + timeoutMs;
  while (!done()) {
    if (now() > deadline) {
      const m = firstAcks(gen, after);
      const missing = [...want].filter((id) => !m.has(id));
      throw new Error(`${what}: ${want.size - missing.length}/${want.size} got hello_ack within ${timeoutMs / 1000} s; missing e.g. ${missing.slice(0, 5).join(", ")}`);
    }
    await sleep(50);
  }
  return firstAcks(gen, after);
}
// The times (ms since epoch) of the agent's connection attempts: its log has one JSON line
// "connecting to ... (attempt N)" per attempt (src/Tether/Transport/AgentConnection.Log.cs).
function attemptTimes(a) {
  let text = "";
  try { text = fs.readFileSync(path.join(a.dir, "agent.log"), "utf8"); } catch { return []; }
  const times = [];
  for (const line of text.split("\n")) {
    if (!line.includes("connecting to ") || !/\(attempt \d+\)/.test(line)) continue;
    try { times.push(Date.parse(JSON.parse(line).time)); } catch { /* a line cut short */ }
  }
  return times;
}

// ---- the run ----
async function main() {
  log(`${P.agents} agents, settle ${P.settleSec} s, steady window ${P.windowSec} s (stats every ${STATS_SEC} s), outage ${P.outageSec} s; work dir ${WORK}`);
  let peer = await startPeerOnFreePort();
  const port = peer.listening.port;
  log(`peer on 127.0.0.1:${port} (pid ${peer.child.pid})`);
  const agents = [];
  for (let i = 1; i <= P.agents; i++) agents.push(writeAgent(i, port));
  const ids = agents.map((a) => a.clientId);

  // 1. cold start: first spawn to the last agent's hello_ack
  const tSpawn = now();
  for (const a of agents) spawnAgent(a);
  const tSpawned = now();
  const acks = await waitAllAcked(peer.gen, ids, 0, P.coldTimeoutSec * 1000, "cold start");
  const lastAck = Math.max(...acks.values());
  const perAgent = agents.map((a) => acks.get(a.clientId) - a.t0);
  const early = agents.filter((a) => a.exit).map((a) => `${a.clientId} exited ${a.exit.code ?? a.exit.sig}`);
  if (early.length) throw new Error(`agents exited: ${early.slice(0, 5).join(", ")}`);
  row("agents", String(P.agents), `${GOALS.agents}`, `one peer (tests/peer/server.js), 127.0.0.1:${port}; each agent its own folder, config, stateDir and log; stats every ${STATS_SEC} s` + (QUICK ? "; --quick: a smaller fleet, the goal is for the full run" : ""), QUICK ? undefined : P.agents >= GOALS.agents);
  const startCpu = agents.map((a) => cpuTicks(a.child.pid) / CLK_TCK);
  const startRun = agents.map((a) => runNs(a.child.pid) / 1e9);
  const coldSec = (lastAck - tSpawn) / 1000;
  row("cold start: first spawn to all hello_ack", `${f2(coldSec)} s`, `< ${GOALS.coldStartSec} s`,
    `spawning all took ${f2((tSpawned - tSpawn) / 1000)} s; per agent spawn to hello_ack median ${f1(median(perAgent))} ms, max ${f1(Math.max(...perAgent))} ms; ` +
    `CPU the agents had used by then: ${f2(sum(startCpu))} s by utime+stime, ${f2(sum(startRun))} s by schedstat of the live threads (median ${f1(1000 * median(startRun))} ms each); ` +
    `${records.filter((r) => r.gen === peer.gen && r.kind === "connect").length} connects, ${records.filter((r) => r.gen === peer.gen && r.kind === "connect_error").length} refused`,
    coldSec < GOALS.coldStartSec);

  // 2. memory after all are connected and settled
  await sleep(P.settleSec * 1000);
  const mem = agents.map((a) => smapsRollup(a.child.pid));
  const thr = agents.map((a) => threads(a.child.pid));
  const pssTotalKiB = sum(mem.map((m) => m.pss));
  const rssTotalKiB = sum(mem.map((m) => m.rss));
  const peerMem = smapsRollup(peer.child.pid);
  row(`memory total, ${P.settleSec} s after the last hello_ack`, `PSS ${f1(mib(pssTotalKiB))} MiB; RSS ${f1(mib(rssTotalKiB))} MiB`,
    `PSS < ${GOALS.pssTotalGiB} GiB`,
    `sums over the ${P.agents} agents (/proc/PID/smaps_rollup); PSS anonymous ${f1(mib(sum(mem.map((m) => m.pssAnon))))} MiB + file-backed ${f1(mib(sum(mem.map((m) => m.pssFile))))} MiB; ` +
    `RSS counts the shared binary and libraries once per agent; the peer (not included): RSS ${f1(mib(peerMem.rss))} MiB`,
    pssTotalKiB / 1024 / 1024 < GOALS.pssTotalGiB);
  row("memory per agent (median)", `PSS ${f2(mib(median(mem.map((m) => m.pss))))} MiB; RSS ${f2(mib(median(mem.map((m) => m.rss))))} MiB`, "",
    `PSS anonymous ${f2(mib(median(mem.map((m) => m.pssAnon))))} MiB + file-backed ${f2(mib(median(mem.map((m) => m.pssFile))))} MiB; ` +
    `PSS min–max ${f2(mib(Math.min(...mem.map((m) => m.pss))))}–${f2(mib(Math.max(...mem.map((m) => m.pss))))} MiB; ${median(thr)} threads`);

  // 3. CPU of the whole fleet over a steady window
  const disconnectsBefore = records.filter((r) => r.kind === "disconnect").length;
  const r0 = agents.map((a) => runNs(a.child.pid));
  const c0 = agents.map((a) => cpuTicks(a.child.pid));
  const p0 = cpuTicks(peer.child.pid);
  const w0 = now();
  await sleep(P.windowSec * 1000);
  const c1 = agents.map((a) => cpuTicks(a.child.pid));
  const r1 = agents.map((a) => runNs(a.child.pid));
  const runSec = sum(r1.map((r, i) => r - r0[i])) / 1e9;
  const p1 = cpuTicks(peer.child.pid);
  const w1 = now();
  const wallSec = (w1 - w0) / 1000;
  const cpuSec = sum(c1.map((c, i) => c - c0[i])) / CLK_TCK;
  const perAgentCpu = c1.map((c, i) => (c - c0[i]) / CLK_TCK);
  row(`fleet CPU over ${P.windowSec} s steady`, `${f2(cpuSec)} CPU s = ${f2(100 * cpuSec / wallSec)} % of one core`, "",
    `utime+stime deltas summed over the agents (/proc/PID/stat, ${CLK_TCK} ticks/s); per agent median ${(1000 * median(perAgentCpu)).toFixed(0)} ms, max ${(1000 * Math.max(...perAgentCpu)).toFixed(0)} ms; ` +
    `cross-check, exact runtime of the live threads (/proc/PID/task/*/schedstat): ${f2(runSec)} s = ${f2(100 * runSec / wallSec)} %, ${f1(1000 * runSec / P.agents)} ms per agent; ` +
    `the peer in the same window: ${f2((p1 - p0) / CLK_TCK)} CPU s`);
  const statsIn = new Map(ids.map((id) => [id, 0]));
  for (const r of records) if (r.kind === "event" && r.event === "stats" && r.at >= w0 && r.at < w1 && statsIn.has(r.clientId)) statsIn.set(r.clientId, statsIn.get(r.clientId) + 1);
  const counts = [...statsIn.values()];
  const expect = Math.floor(wallSec / STATS_SEC);
  const short = [...statsIn].filter(([, n]) => n < expect - 1).map(([id]) => id);
  const dropped = records.filter((r) => r.kind === "disconnect").length - disconnectsBefore;
  row("stats events in the window, per agent", `median ${median(counts)}, min ${Math.min(...counts)}, max ${Math.max(...counts)}`, `≈ ${expect} each (every ${STATS_SEC} s)`,
    `${sum(counts)} in all at the peer; ${short.length ? `${short.length} agents with fewer than ${expect - 1} (e.g. ${short.slice(0, 3).join(", ")})` : "every agent sent"}; ${dropped} disconnects in the window`,
    short.length === 0 && dropped === 0);

  // 4. outage: the peer shuts down (sockets closed), stays away, comes back on the same port
  const tStop = now();
  await shutdownPeer(peer);
  const tDown = now();
  log(`peer stopped (${f2((tDown - tStop) / 1000)} s to exit); ${P.outageSec} s outage`);
  await sleep(Math.max(0, P.outageSec * 1000 - (tDown - tStop)));
  peer = await restartPeer(port);
  const tUp = peer.listening.at;
  log(`peer listening again on ${port} (pid ${peer.child.pid})`);
  let back;
  try {
    back = await waitAllAcked(peer.gen, ids, 0, P.backTimeoutSec * 1000, "after the outage");
  } catch (err) {
    const m = firstAcks(peer.gen);
    row("outage: all back (restart to last hello_ack)", `not all back: ${m.size}/${P.agents} within ${P.backTimeoutSec} s`, `< ${GOALS.allBackSec} s`, err.message, false);
    throw err;
  }
  const backTimes = [...back.values()].map((t) => (t - tUp) / 1000);
  const allBack = Math.max(...backTimes);
  row(`outage: all back (restart to last hello_ack)`, `${f2(allBack)} s`, `< ${GOALS.allBackSec} s`,
    `peer shut down cleanly (close frames), away ${f1((tUp - tStop) / 1000)} s, restarted on the same port; ` +
    `first back after ${f2(Math.min(...backTimes))} s, half after ${f2(median(backTimes))} s; from the stop: ${f2((Math.max(...back.values()) - tStop) / 1000)} s`,
    allBack < GOALS.allBackSec);
  const buckets = new Map();
  for (const s of backTimes) { const b = Math.floor(s); buckets.set(b, (buckets.get(b) || 0) + 1); }
  const [busy, busyN] = [...buckets].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0];
  const share = busyN / P.agents;
  const hist = [...buckets].sort((x, y) => x[0] - y[0]).map(([b, n]) => `${b}:${n}`).join(" ");
  row("outage: busiest second of reconnects", `${(100 * share).toFixed(1)} % (${busyN} of ${P.agents}, second ${busy}–${busy + 1} after restart)`,
    `≤ ${100 * GOALS.maxSecondShare} % in any second`, `hello_acks per second after restart (second:count): ${hist}`, share <= GOALS.maxSecondShare);
  await sleep(1000);   // let the log lines of the last attempts reach the files
  const lastBack = Math.max(...back.values());
  const during = agents.map((a) => attemptTimes(a).filter((t) => t >= tStop - 5 && t <= lastBack + 5));   // log times: whole ms
  const attempts = during.map((ts) => ts.length);
  const perSecond = new Map();
  for (const t of during.flat()) { const b = Math.floor((t - tStop) / 1000); perSecond.set(b, (perSecond.get(b) || 0) + 1); }
  const [peakSec, peakN] = [...perSecond].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0] || [0, 0];
  const peerSaw = records.filter((r) => r.gen === peer.gen && (r.kind === "connect" || r.kind === "connect_error" || r.kind === "engine_connection_error")).length;
  row("outage: connection attempts", `${sum(attempts)} by the agents (${f2(sum(attempts) / P.agents)} per agent)`, "",
    `from the agents' logs ("connecting to … (attempt n)"), stop to all back; per agent median ${median(attempts)}, max ${Math.max(...attempts)}; ` +
    `busiest second ${peakN} attempts (second ${peakSec}–${peakSec + 1} after the stop; per second: ${[...perSecond].sort((x, y) => x[0] - y[0]).map(([b, n]) => `${b}:${n}`).join(" ")}); ` +
    `the peer saw ${peerSaw} of them (the others were refused by the closed port before any peer could count them)`);

  await stopAll(agents.map((a) => a.child));
  await shutdownPeer(peer);
  if (peerErrors.length) throw new Error(`the peer reported errors: ${peerErrors.slice(0, 3).join(" / ")}`);
}

main().then(() => {
  const missing = EXPECTED.filter((e) => !rows.some((r) => r.figure.startsWith(e)));
  if (missing.length) { failed = true; log(`rows missing: ${missing.join(", ")}`); }
}, (err) => {
  failed = true;
  console.error(`fleet.js: ${err && err.stack ? err.stack : err}`);
}).finally(() => {
  printTable();
  fs.writeFileSync(OUT, JSON.stringify({ quick: QUICK, params: P, goals: GOALS, rows, failed }, null, 2));
  process.exit(failed ? 1 : 0);
});
