#!/usr/bin/env node
// Whole-process benchmarks of the agent, each next to its reference measured in the same
// run (see bench/README.md). Started by bench/run; writes the rows as JSON to --out.
//   node whole.js --agent BIN --out FILE [--quick] [--only start,rss,cpu,admin,size,shell,backup]
//                 [--agent-env NAME=VALUE ...]   (experiments: e.g. a GC setting, before/after)
// Every process started here is killed when this script ends, whatever the reason.
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
const AGENT = opt("--agent");
const OUT = opt("--out");
const ONLY = opt("--only") ? opt("--only").split(",") : null;
const AGENT_ENV = Object.fromEntries(argv.flatMap((a, i) => (a === "--agent-env" ? [argv[i + 1].split(/=(.*)/s).slice(0, 2)] : [])));
if (!AGENT || !OUT) { console.error("usage: whole.js --agent BIN --out FILE [--quick]"); process.exit(2); }

const ROOT = path.resolve(__dirname, "../..");
const PEER = path.join(ROOT, "tests/peer/server.js");
const NODE_REF = path.join(__dirname, "node-ref-client.js");
// The Node.js reference agent of the shell and admin rows (socket.io-client + node-pty, bench/node-agent/).
const NODE_AGENT = path.join(__dirname, "node-ref-agent.js");
const TOKEN = "bench-token";
const P = QUICK
  ? { startRuns: 3, rssPairs: 2, rssWaitSec: 20, cpuPairs: 2, cpuWindowSec: 20, cpu1WindowSec: 20, adminRuns: 50, shellRuns: 1, shellMb: 5, shellKeys: 25, deadlineSec: 170 }
  : { startRuns: 10, rssPairs: 5, rssWaitSec: 20, cpuPairs: 3, cpuWindowSec: 120, cpu1WindowSec: 60, adminRuns: 200, shellRuns: 3, shellMb: 50, shellKeys: 100, deadlineSec: 1500 };
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), "tether-bench-"));

// ---- process bookkeeping: everything we spawn is killed on the way out ----
// A child started `detached` leads its own process group; the group is killed with it, so the
// grandchildren (shell-bench's agent, the shell under `script`) go too.
const children = new Set();
function track(child, group = false) {
  child.group = group;
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}
function killAll() {
  for (const c of children) {
    for (const target of c.spawnargs && c.group ? [-c.pid, c.pid] : [c.pid]) { try { process.kill(target, "SIGKILL"); } catch { /* gone */ } }
  }
  children.clear();
}
process.on("exit", () => { killAll(); fs.rmSync(WORK, { recursive: true, force: true }); });
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => { console.error(`whole.js: ${sig}`); process.exit(130); });
setTimeout(() => { console.error(`whole.js: deadline of ${P.deadlineSec} s passed`); process.exit(3); }, P.deadlineSec * 1000).unref();

const now = () => performance.timeOrigin + performance.now();   // same clock as the peer's `at`
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (msg) => process.stderr.write(`  [whole] ${msg}\n`);

async function stop(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  try { child.kill("SIGTERM"); } catch { /* gone */ }
  const t = setTimeout(() => { try { child.kill("SIGKILL"); } catch { /* gone */ } }, graceMs);
  await exited;
  clearTimeout(t);
  if (child.group) { try { process.kill(-child.pid, "SIGKILL"); } catch { /* group already empty */ } }
}

// ---- the real socket.io peer, its records as a stream we can wait on ----
async function startPeer() {
  const child = track(spawn(process.execPath, [PEER, "--port", "0", "--token", TOKEN], { stdio: ["pipe", "pipe", "inherit"] }));
  const records = [];
  const waiters = [];
  readline.createInterface({ input: child.stdout }).on("line", (line) => {
    let rec;
    try { rec = JSON.parse(line); } catch { return; }
    records.push(rec);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i].pred(rec)) { const w = waiters.splice(i, 1)[0]; clearTimeout(w.timer); w.resolve(rec); }
    }
  });
  const waitFor = (pred, timeoutMs, what) => {
    const seen = records.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve, timer: setTimeout(() => { waiters.splice(waiters.indexOf(w), 1); reject(new Error(`timeout waiting for ${what}`)); }, timeoutMs) };
      waiters.push(w);
    });
  };
  const listening = await waitFor((r) => r.kind === "listening", 15000, "peer listening");
  return {
    port: listening.port,
    records,
    waitFor,
    send: (obj) => child.stdin.write(JSON.stringify(obj) + "\n"),
    helloAck: (clientId, timeoutMs = 15000) => waitFor((r) => r.kind === "sent" && r.event === "hello_ack" && r.clientId === clientId, timeoutMs, `hello_ack of ${clientId}`),
    stop: () => stop(child),
  };
}

// ---- the two contenders ----
function spawnTether(peer, clientId, statsIntervalSec, extra = {}) {
  const dir = fs.mkdtempSync(path.join(WORK, "agent-"));
  const config = {
    clientId, serverUrl: `http://127.0.0.1:${peer.port}`, authToken: TOKEN, statsIntervalSec,
    logging: { file: path.join(dir, "agent.log"), auditFile: path.join(dir, "audit.log") },
    ...extra,
  };
  fs.writeFileSync(path.join(dir, "agent-config.json"), JSON.stringify(config));
  const t0 = now();
  const child = track(spawn(AGENT, ["run", "--config", path.join(dir, "agent-config.json")], { cwd: dir, stdio: ["ignore", "ignore", "ignore"], env: { ...process.env, ...AGENT_ENV } }));
  return { child, t0 };
}
function spawnNodeRef(peer, clientId, statsIntervalSec) {
  const t0 = now();
  const child = track(spawn(process.execPath, [NODE_REF, `http://127.0.0.1:${peer.port}`, TOKEN, clientId, String(statsIntervalSec)], { stdio: ["ignore", "ignore", "inherit"] }));
  return { child, t0 };
}
const CONTENDERS = { tether: spawnTether, node: spawnNodeRef };

// ---- /proc readers ----
function rssKiB(pid) { return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]); }
function cpuSec(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");   // f[0] is field 3 (state)
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;              // utime (14) + stime (15)
}

// The exact run time of the live threads in seconds (/proc/PID/task/*/schedstat, ns). utime+stime
// come in clock ticks (10 ms), too coarse for an idle window; a thread that ended takes its time with it.
function runSec(pid) {
  let ns = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try { ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]); } catch { /* thread ended */ }
  }
  return ns / 1e9;
}

// Whole-process CPU through a cgroup of the agent's own, where the bench may make one (root, and
// cgroup v1 `cpuacct` or a cgroup v2 hierarchy): every thread counts, ended ones too. The live
// threads' schedstat above misses a thread that ended (a pool worker retired after 20 s idle takes
// its time with it), which once read a thread-per-tick variant as 2 ms/min instead of 12–21
// (bench/RESULTS.md, issue 13). null where no cgroup can be made: the idle rows fall back to runSec.
const CPU_GROUPS = (() => {
  const kinds = [
    { root: "/sys/fs/cgroup/cpuacct", probe: "cpuacct.usage", usage: (dir) => Number(fs.readFileSync(path.join(dir, "cpuacct.usage"), "utf8")) / 1e9 },
    { root: "/sys/fs/cgroup", probe: "cgroup.controllers", usage: (dir) => Number(/usage_usec (\d+)/.exec(fs.readFileSync(path.join(dir, "cpu.stat"), "utf8"))[1]) / 1e6 },
  ];
  for (const k of kinds) {
    try {
      if (!fs.existsSync(path.join(k.root, k.probe))) continue;
      fs.rmdirSync(fs.mkdtempSync(path.join(k.root, "tether-bench-probe-")));
      return k;
    } catch { /* not ours to make */ }
  }
  return null;
})();
const cpuGroupsMade = [];
process.on("exit", () => { for (const d of cpuGroupsMade) { try { fs.rmdirSync(d); } catch { /* a process still in it */ } } });
/** Moves `pid` (all its threads) into a new cgroup; returns a reader of its CPU seconds, or null. */
function cpuGroup(pid) {
  if (!CPU_GROUPS) return null;
  try {
    const dir = fs.mkdtempSync(path.join(CPU_GROUPS.root, "tether-bench-"));
    cpuGroupsMade.push(dir);
    fs.writeFileSync(path.join(dir, "cgroup.procs"), String(pid));
    return () => CPU_GROUPS.usage(dir);
  } catch { return null; }
}

// ---- statistics ----
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const pct = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]; };
const summary = (xs) => ({ n: xs.length, median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });

const rows = [];
function row(figure, unit, tether, reference, refName, goal, note) {
  rows.push({ figure, unit, tether, reference, refName, goal, note });
  log(`${figure}: ${JSON.stringify(tether)} vs ${JSON.stringify(reference)}`);
}

// ---- 1. process start to hello_ack ----
async function startToHelloAck(peer) {
  const times = { tether: [], node: [] };
  for (let i = 0; i < P.startRuns; i++) {
    const order = i % 2 ? ["node", "tether"] : ["tether", "node"];   // alternate: neither always goes first
    for (const kind of order) {
      const id = `start-${kind}-${i}`;
      const { child, t0 } = CONTENDERS[kind](peer, id, 60);
      const ack = await peer.helloAck(id);
      times[kind].push(ack.at - t0);
      await stop(child);
    }
  }
  row("process start to hello_ack", "ms", summary(times.tether), summary(times.node), "node + socket.io-client", "≤ 150 ms");
}

// ---- 2. idle RSS 20 s after hello_ack, stats every 1 s ----
// One pair at a time: a host runs one agent, and two agents side by side share the pages of the
// binary and of libcrypto, which no process can give back while another maps them.
async function idleRss(peer) {
  const kib = { tether: [], node: [] };
  const parts = [];
  const few = [];
  const statsSeen = (id) => peer.records.filter((r) => r.kind === "event" && r.event === "stats" && r.clientId === id).length;
  for (let i = 0; i < P.rssPairs; i++) {
    const procs = ["tether", "node"].map((kind) => {
      const id = `rss-${kind}-${i}`;
      return { kind, id, ...CONTENDERS[kind](peer, id, 1) };
    });
    await Promise.all(procs.map(async (p) => {
      await peer.helloAck(p.id);
      await sleep(P.rssWaitSec * 1000);
      kib[p.kind].push(rssKiB(p.child.pid));
      const st = fs.readFileSync(`/proc/${p.child.pid}/status`, "utf8");
      const field = (n) => Number(new RegExp(`${n}:\\s+(\\d+)`).exec(st)[1]);
      const pss = Number(/^Pss:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${p.child.pid}/smaps_rollup`, "utf8"))[1]);
      parts.push({ kind: p.kind, anon: field("RssAnon") / 1024, file: field("RssFile") / 1024, threads: field("Threads"), pss: pss / 1024 });
    }));
    few.push(...procs.filter((p) => statsSeen(p.id) < P.rssWaitSec / 2).map((p) => p.id));
    await Promise.all(procs.map((p) => stop(p.child)));
  }
  const mib = (xs) => summary(xs.map((k) => k / 1024));
  row(`idle RSS ${P.rssWaitSec} s after hello_ack (stats every 1 s)`, "MiB", mib(kib.tether), mib(kib.node), "node + socket.io-client",
    "≤ 1/3 of reference, ≤ 20 MB", (few.length ? `too few stats from ${few.join(", ")}; ` : "") + `${P.rssPairs} pairs one after another; ` + ["tether", "node"].map((k) => {
      const of = parts.filter((x) => x.kind === k);
      return `${k}: ${median(of.map((x) => x.anon)).toFixed(1)} MiB anonymous + ${median(of.map((x) => x.file)).toFixed(1)} MiB file-backed (PSS ${median(of.map((x) => x.pss)).toFixed(1)} MiB), ${median(of.map((x) => x.threads))} threads`;
    }).join("; ") + (Object.keys(AGENT_ENV).length ? `; agent env ${JSON.stringify(AGENT_ENV)}` : ""));
}

// ---- 3. CPU seconds while idle at the default 60 s interval, and at 1 s (all pairs side by side) ----
const IDLE = [{ intervalSec: 60, windowSec: P.cpuWindowSec, fullWindowSec: 120 }, { intervalSec: 1, windowSec: P.cpu1WindowSec, fullWindowSec: 60 }];
const idleFigure = (v) => `CPU seconds over ${v.windowSec} s idle (stats every ${v.intervalSec} s)`;
async function idleCpu(peer) {
  const procs = [];
  for (const v of IDLE) {
    for (let i = 0; i < P.cpuPairs; i++) {
      for (const kind of ["tether", "node"]) {
        const id = `cpu${v.intervalSec}-${kind}-${i}`;
        procs.push({ kind, id, v, ...CONTENDERS[kind](peer, id, v.intervalSec) });
      }
    }
  }
  for (const p of procs) p.group = cpuGroup(p.child.pid);
  const whole = procs.every((p) => p.group);
  await Promise.all(procs.map(async (p) => {
    await peer.helloAck(p.id);
    await sleep(500);   // the answer to hello_ack (one stats) is start-up, not idle
    const c0 = cpuSec(p.child.pid), r0 = runSec(p.child.pid), g0 = whole ? p.group() : 0;
    await sleep(p.v.windowSec * 1000);
    p.ticks = cpuSec(p.child.pid) - c0;
    p.live = runSec(p.child.pid) - r0;
    p.sec = whole ? p.group() - g0 : p.live;
  }));
  await Promise.all(procs.map((p) => stop(p.child)));
  for (const v of IDLE) {
    const of = (kind) => procs.filter((p) => p.v === v && p.kind === kind);
    const sec = (kind) => summary(of(kind).map((p) => p.sec));
    const ticks = (kind) => median(of(kind).map((p) => p.ticks)).toFixed(3);
    const live = (kind) => median(of(kind).map((p) => p.live)).toFixed(3);
    row(idleFigure(v), "s", sec("tether"), sec("node"), "node + socket.io-client", "≤ reference",
      (whole
        ? `whole process: the CPU of a cgroup of its own (every thread, ended ones too); by the live threads' schedstat tether ${live("tether")} s, node ${live("node")} s; `
        : "exact run time of the live threads (schedstat, ns; no cgroup could be made here, so a thread that ended is missed); ") +
      `by utime+stime (${CLK_TCK} ticks/s) tether ${ticks("tether")} s, node ${ticks("node")} s; ` +
      `${P.cpuPairs} pairs side by side (both intervals at once); the reference samples only os.loadavg/freemem/uptime, tether reads /proc, the mounts, sensors and opens a TCP connection for netLatencyMs` +
      (QUICK ? `; --quick: shortened window (full: ${v.fullWindowSec} s)` : ""));
  }
}

// ---- 4. admin_run of `true`: peer emit to admin_result receive, Tether and the Node agent ----
// `command` " " is the floor: an empty command is answered at once, no process started (Tether
// refuses it with 126, the Node agent with -1), so it measures the wire and the dispatch alone.
async function adminLoop(peer, id, child, { command = "true", code = 0, label = "run", keep = false } = {}) {
  await peer.helloAck(id);
  const lat = [];
  const ran = [];   // the agent's own summary.durationMs: the child's run, the rest is the agent and the wire
  const warmup = 5;
  let cpu0 = 0;
  for (let i = 0; i < P.adminRuns + warmup; i++) {
    if (i === warmup) cpu0 = cpuSec(child.pid);
    const token = `${label}-${i}`;
    const result = peer.waitFor((r) => r.kind === "event" && r.event === "admin_result" && r.clientId === id && r.payload && r.payload.token === token, 10000, `admin_result ${token}`);
    peer.send({ cmd: "emit", event: "admin_run", clientId: id, payload: { token, cmd: { command } } });
    const [sent, got] = await Promise.all([
      peer.waitFor((r) => r.kind === "sent" && r.event === "admin_run" && r.clientId === id && r.payload && r.payload.token === token, 10000, `sent ${token}`), result]);
    const summary = got.payload.result && got.payload.result.summary;
    if (!summary || summary.code !== code) throw new Error(`admin_run ${JSON.stringify(command)}: ${JSON.stringify(got.payload)}`);
    if (i >= warmup) { lat.push(got.at - sent.at); ran.push(Number(summary.durationMs)); }
  }
  // utime+stime of the agent process only (the `true` children are not counted), per run.
  const cpuMs = (cpuSec(child.pid) - cpu0) * 1000 / P.adminRuns;
  if (!keep) await stop(child);
  return { lat, ran, cpuMs };
}
async function adminRun(peer) {
  const tetherChild = spawnTether(peer, "admin", 60, { admin: { allowedCommands: ["true"] } }).child;
  const t = await adminLoop(peer, "admin", tetherChild, { keep: true });
  const tFloor = await adminLoop(peer, "admin", tetherChild, { command: " ", code: 126, label: "floor" });
  const nodeChild = track(spawn(process.execPath, [NODE_AGENT, `http://127.0.0.1:${peer.port}`, TOKEN, "admin-node", "60"], { stdio: ["ignore", "ignore", "inherit"] }));
  const n = await adminLoop(peer, "admin-node", nodeChild, { keep: true });
  const nFloor = await adminLoop(peer, "admin-node", nodeChild, { command: " ", code: -1, label: "floor" });
  const direct = execFileSync("python3", [path.join(__dirname, "direct-spawn.py"), String(P.adminRuns)]).toString().trim().split("\n").map(Number);
  const p = (xs) => ({ n: xs.length, p50: pct(xs, 0.5), p99: pct(xs, 0.99), min: Math.min(...xs), max: Math.max(...xs) });
  row("admin_run `true` round trip", "ms", p(t.lat), p(direct), "posix_spawn `true` in a loop", "overhead ≤ 2 ms p50",
    `${P.adminRuns} runs after 5 warm-up; peer's own send/receive timestamps (two socket.io hops included); ` +
    `agent's summary.durationMs p50 ${pct(t.ran, 0.5).toFixed(1)} ms`);
  row("admin_run `true` round trip vs the Node agent", "ms", p(t.lat), p(n.lat), "Node agent (socket.io-client, child_process.spawn)", "≤ 0.3× p50",
    `same peer, one after the other; agent CPU per run (utime+stime, children excluded): tether ${t.cpuMs.toFixed(2)} ms, node ${n.cpuMs.toFixed(2)} ms`);
  row("admin_run of an empty command (no process): the round trip's floor", "ms", p(tFloor.lat), p(nFloor.lat), "Node agent", "—",
    `answered at once (Tether: 126 from the policy, audited; Node: -1); the wire, both socket.io ends and the dispatch. ` +
    `\`true\` minus this floor: tether ${(pct(t.lat, 0.5) - pct(tFloor.lat, 0.5)).toFixed(3)} ms, node ${(pct(n.lat, 0.5) - pct(nFloor.lat, 0.5)).toFixed(3)} ms, ` +
    `posix_spawn \`true\` alone ${pct(direct, 0.5).toFixed(3)} ms`);
  row("agent CPU per admin_run `true`", "ms", { n: 1, median: t.cpuMs }, { n: 1, median: n.cpuMs }, "Node agent", "≤ reference",
    `utime+stime of the agent over ${P.adminRuns} runs / ${P.adminRuns}, ${CLK_TCK} ticks/s`);
}

// ---- 5. binary size ----
function binarySize() {
  const mb = fs.statSync(AGENT).size / 1e6;
  row("binary size (single file)", "MB", { n: 1, median: mb, min: mb, max: mb }, null, "—", "≤ 9 MB");
}

// ---- 6. shell: bench/shell-bench when it exists, references through `script` ----
// shell-bench prints `throughput: … = X MB/s` and `echo latency: n=… p50=X ms p99=Y ms`.
async function scriptThroughput(mb) {
  const t0 = now();
  const child = track(spawn("script", ["-qfc", `head -c ${mb * 1000 * 1000} /dev/zero | tr '\\0' 'a'`, "/dev/null"], { stdio: ["ignore", "pipe", "ignore"], detached: true }), true);
  let bytes = 0;
  child.stdout.on("data", (d) => { bytes += d.length; });
  await new Promise((r) => child.on("exit", r));
  return (bytes / 1e6) / ((now() - t0) / 1000);
}
async function scriptEcho(keys) {
  // One character typed into an interactive bash under `script`, timed until it is echoed.
  const child = track(spawn("script", ["-qfc", "bash --norc --noprofile -i", "/dev/null"], { stdio: ["pipe", "pipe", "ignore"], env: { ...process.env, PS1: "$ " }, detached: true }), true);
  let buf = "";
  let waiter = null;
  child.stdout.on("data", (d) => { buf += d.toString("latin1"); if (waiter && waiter.pred(buf)) { const w = waiter; waiter = null; w.resolve(now()); } });
  const until = (pred) => new Promise((resolve, reject) => {
    if (pred(buf)) return resolve(now());
    const t = setTimeout(() => reject(new Error("script echo timeout")), 5000);
    waiter = { pred, resolve: (v) => { clearTimeout(t); resolve(v); } };
  });
  child.stdin.write("echo re''ady\n");
  await until((b) => b.includes("ready"));
  await sleep(300);
  const samples = [];
  for (let i = 0; i < keys; i++) {
    const ch = String.fromCharCode(97 + (i % 26));
    buf = "";
    let t0 = now();
    child.stdin.write(ch);
    samples.push((await until((b) => b.includes(ch))) - t0);
    buf = "";
    t0 = now();
    child.stdin.write("\x7f");
    samples.push((await until((b) => b.includes("\b"))) - t0);
    await sleep(5);
  }
  await stop(child, 1000);
  return samples;
}
function findScript(name) {
  for (const p of [path.join(ROOT, "bench", name, "run.sh"), path.join(ROOT, "bench", name)]) {
    try { if (fs.statSync(p).isFile()) return p; } catch { /* absent */ }
  }
  return null;
}
function runScript(file, args) {
  return new Promise((resolve, reject) => {
    const child = track(spawn(file, args, { env: { ...process.env, TETHER_AGENT_BIN: AGENT }, stdio: ["ignore", "pipe", "inherit"], detached: true }), true);
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.relative(ROOT, file)} exited ${code}`))));
  });
}
async function shell() {
  const script = findScript("shell-bench");
  const refTp = [];
  for (let i = 0; i < P.shellRuns; i++) refTp.push(await scriptThroughput(P.shellMb));
  const refEcho = await scriptEcho(P.shellKeys);
  // Per workload and agent: throughput (MB/s of data at the server) and the agent's CPU seconds.
  const runs = { zero: { tether: { tp: [], cpu: [] }, node: { tp: [], cpu: [] } }, base64: { tether: { tp: [], cpu: [] }, node: { tp: [], cpu: [] } } };
  const echo50 = [], echo99 = [];
  let note = null;
  const parse = (out) => {
    const t = /throughput: ([\d.]+) MB in.*= *([\d.]+) MB\/s/.exec(out);
    const c = /agent cpu: ([\d.]+) s/.exec(out);
    const e = /echo latency:.*p50=([\d.]+) ms p99=([\d.]+) ms/.exec(out);
    if (!t || !c || !e) throw new Error(`unexpected shell-bench output:\n${out}`);
    return { mb: Number(t[1]), tp: Number(t[2]), cpu: Number(c[1]), p50: Number(e[1]), p99: Number(e[2]) };
  };
  const mbSeen = { zero: 0, base64: 0 };
  if (!script) note = "n/a (not built yet)";
  else {
    for (let i = 0; i < P.shellRuns; i++) {
      for (const workload of ["zero", "base64"]) {
        for (const agent of ["tether", "node"]) {   // alternate: neither always runs first
          const order = i % 2 ? "node" : "tether";
          const kind = agent === "tether" ? order : (order === "tether" ? "node" : "tether");
          const keys = workload === "zero" && kind === "tether" ? P.shellKeys : 1;
          const r = parse(await runScript(script, [`--mb=${P.shellMb}`, `--keys=${keys}`, `--workload=${workload}`, `--agent=${kind}`]));
          runs[workload][kind].tp.push(r.tp);
          runs[workload][kind].cpu.push(r.cpu);
          mbSeen[workload] = r.mb;
          if (keys > 1) { echo50.push(r.p50); echo99.push(r.p99); }
        }
      }
    }
  }
  const of = (w, k, f) => note ?? summary(runs[w][k][f]);
  const cpuNote = (w) => note ? "" : `; s/MB: tether ${(median(runs[w].tether.cpu) / mbSeen[w]).toFixed(4)}, node ${(median(runs[w].node.cpu) / mbSeen[w]).toFixed(4)}`;
  row(`shell output throughput (${P.shellMb} MB)`, "MB/s", of("zero", "tether", "tp"), summary(refTp), "`script -qfc` into a pipe", "≥ 50 % of reference",
    (note ? "reference only; " : "") + `${P.shellRuns} runs; both print the same bytes (head -c N /dev/zero piped to tr, as shell-bench does); ` +
    (note ? "" : `Node agent: ${median(runs.zero.node.tp).toFixed(1)} MB/s`));
  row(`agent CPU seconds for that output (${P.shellMb} MB)`, "s", of("zero", "tether", "cpu"), of("zero", "node", "cpu"), "Node agent (socket.io-client + node-pty)", "≤ 0.5× reference",
    `utime+stime of the agent process, children excluded, from the command to the end marker; ${P.shellRuns} runs each` + cpuNote("zero"));
  row(`shell output throughput, base64 of ${P.shellMb} MB urandom`, "MB/s", of("base64", "tether", "tp"), of("base64", "node", "tp"), "Node agent (socket.io-client + node-pty)", "≥ 1.5× reference",
    `\`head -c N /dev/urandom | base64\` in the remote shell; ${note ? "" : mbSeen.base64.toFixed(1)} MB of text at the server a run (76 characters and CR LF a line); ${P.shellRuns} runs each`);
  row(`agent CPU seconds for that output (base64 of ${P.shellMb} MB)`, "s", of("base64", "tether", "cpu"), of("base64", "node", "cpu"), "Node agent (socket.io-client + node-pty)", "≤ 0.5× reference",
    `utime+stime of the agent process, children excluded, from the command to the end marker; ${P.shellRuns} runs each` + cpuNote("base64"));
  row("keystroke echo latency p50", "ms", note ?? summary(echo50), { n: refEcho.length, median: pct(refEcho, 0.5) }, "bash under `script`", "—",
    `median over ${P.shellRuns} runs of ${2 * P.shellKeys} keystrokes`);
  row("keystroke echo latency p99", "ms", note ?? summary(echo99), { n: refEcho.length, median: pct(refEcho, 0.99) }, "bash under `script`", "p99 ≤ 5 ms",
    `median over ${P.shellRuns} runs of ${2 * P.shellKeys} keystrokes`);
}

// ---- 7. backups: bench/backup-bench when it exists ----
async function backup() {
  const script = findScript("backup-bench");
  const names = ["backup plan of 100,000 files", "fresh local backup (20,000 small + 5×50 MB)", "no-change backup re-run"];
  if (!script) {
    for (const n of names) row(n, "s", "n/a (not built yet)", null, "rsync", "ratio ≤ 1.0");
    return;
  }
  // backup-bench prints its own rows as `ROW<TAB>figure<TAB>unit<TAB>tether<TAB>reference<TAB>refName<TAB>goal`.
  const out = await runScript(script, QUICK ? ["--quick"] : []);
  const lines = out.split("\n").filter((l) => l.startsWith("ROW\t"));
  if (lines.length === 0) {
    for (const n of names) row(n, "s", "n/a (backup-bench printed no ROW lines)", null, "rsync", "ratio ≤ 1.0", out.trim().split("\n").slice(-3).join(" / "));
    return;
  }
  for (const l of lines) {
    const [, figure, unit, t, r, refName, goal] = l.split("\t");
    row(figure, unit, { n: 1, median: Number(t) }, { n: 1, median: Number(r) }, refName, goal);
  }
}

// A section that fails leaves a "failed" row, so the table always shows every figure.
async function section(names, fn, key) {
  if (ONLY && !ONLY.includes(key)) return;
  try { await fn(); } catch (err) {
    log(`FAILED ${names[0]}: ${err && err.stack ? err.stack : err}`);
    for (const n of names) if (!rows.some((r) => r.figure.startsWith(n))) row(n, "", `failed: ${err && err.message}`, null, "", "");
    failed = true;
  }
}
let failed = false;

(async () => {
  const peer = await startPeer();
  try {
    await section(["process start to hello_ack"], () => startToHelloAck(peer), "start");
    await section(["idle RSS"], () => idleRss(peer), "rss");
    await section(IDLE.map(idleFigure), () => idleCpu(peer), "cpu");
    await section(["admin_run", "agent CPU per admin_run"], () => adminRun(peer), "admin");
    await section(["binary size"], async () => binarySize(), "size");
  } finally {
    await peer.stop();
  }
  await section(["shell output throughput", "agent CPU seconds for that output", "keystroke echo latency p50", "keystroke echo latency p99"], shell, "shell");
  await section(["backup plan", "fresh local backup", "no-change backup"], backup, "backup");
  fs.writeFileSync(OUT, JSON.stringify({ quick: QUICK, params: P, rows }, null, 2));
  process.exit(failed ? 1 : 0);
})().catch((err) => {
  console.error(`whole.js: ${err && err.stack ? err.stack : err}`);
  try { fs.writeFileSync(OUT, JSON.stringify({ quick: QUICK, params: P, rows, error: String(err && err.message) }, null, 2)); } catch { /* ignore */ }
  process.exit(1);
});
