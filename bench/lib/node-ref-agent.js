#!/usr/bin/env node
// The Node.js reference agent of the shell and admin rows: what the dashboard's Node agent does on
// those paths, built from the same npm packages (socket.io-client + node-pty, bench/node-agent/).
// One socket.io-client connection signed like the agent (docs/protocol.md §2); it answers
// hello_ack with a small stats event and repeats it every interval (as node-ref-client.js), and
// serves shell_start / shell_input / shell_resize / shell_close -> shell_output / shell_closed
// (node-pty, one event per PTY read, utf8 text or base64) and admin_run -> admin_result
// (child_process.spawn of the split command line, no shell, stdout/stderr collected) like §3/§4.
//   node node-ref-agent.js SERVER_URL TOKEN CLIENT_ID STATS_INTERVAL_SEC [--base64]
"use strict";
const crypto = require("node:crypto");
const os = require("node:os");
const path = require("node:path");
const { spawn } = require("node:child_process");
const MODULES = path.join(__dirname, "../node-agent/node_modules");
const { io } = require(path.join(MODULES, "socket.io-client"));
const pty = require(path.join(MODULES, "node-pty"));

const argv = process.argv.slice(2);
const [serverUrl, token, clientId, intervalSec] = argv;
const base64 = argv.includes("--base64");
const ts = Date.now();
const sig = crypto.createHmac("sha256", token).update(JSON.stringify({ clientId, ts })).digest("hex");
const socket = io(serverUrl + "/agents", {
  transports: ["websocket"],
  query: { clientId, ts: String(ts), sig },
  auth: { clientId, ts, sig },
});
const send = (event, payload) => socket.emit(event, { type: event, t: event, ...payload });

function stats() {
  const data = { load: os.loadavg(), mem: 100 * (1 - os.freemem() / os.totalmem()), uptimeSec: os.uptime(), ts: new Date().toISOString() };
  send("stats", { data });
}

let timer;
socket.on("hello_ack", () => {
  stats();
  clearInterval(timer);
  timer = setInterval(stats, Number(intervalSec) * 1000);
});
socket.on("ping", (p) => send("pong", { ts: p && p.ts }));

// ---- shell (docs/protocol.md §3) ----
const shells = new Map();
socket.on("shell_start", (p) => {
  const session = p && p.session;
  if (typeof session !== "string" || shells.has(session)) return;
  const term = pty.spawn("/bin/bash", ["--norc", "--noprofile", "-i"], {
    name: "xterm-256color", cols: 80, rows: 24, cwd: os.homedir(), env: { ...process.env, TERM: "xterm-256color" },
    encoding: base64 ? null : "utf8",
  });
  shells.set(session, term);
  term.onData((d) => send("shell_output", base64 ? { session, data: Buffer.from(d).toString("base64"), encoding: "base64" } : { session, data: d }));
  term.onExit(({ exitCode, signal }) => {
    shells.delete(session);
    send("shell_closed", { session, code: exitCode, ...(signal ? { signal } : {}) });
  });
});
socket.on("shell_input", (p) => {
  const term = p && shells.get(p.session);
  if (term && typeof p.data === "string") term.write(p.encoding === "base64" ? Buffer.from(p.data, "base64").toString("latin1") : p.data);
});
socket.on("shell_resize", (p) => {
  const term = p && shells.get(p.session);
  if (term && Number.isInteger(p.cols) && Number.isInteger(p.rows)) term.resize(p.cols, p.rows);
});
socket.on("shell_close", (p) => {
  const term = p && shells.get(p.session);
  if (term) term.kill("SIGHUP");
});

// ---- admin_run (docs/protocol.md §4): no shell, words split on blanks (the bench runs plain words) ----
socket.on("admin_run", (p) => {
  const cmd = p && p.cmd;
  const words = cmd && typeof cmd.command === "string" ? cmd.command.trim().split(/\s+/) : [];
  const reply = (result) => send("admin_result", { token: p && p.token, command: cmd && cmd.command, result });
  if (words.length === 0 || words[0] === "") { reply({ stdout: "", stderr: "", summary: { code: -1 }, error: "empty command" }); return; }
  const started = process.hrtime.bigint();
  const child = spawn(words[0], words.slice(1), { cwd: cmd.cwd || undefined, stdio: ["ignore", "pipe", "pipe"] });
  const out = [], err = [];
  child.stdout.on("data", (d) => out.push(d));
  child.stderr.on("data", (d) => err.push(d));
  child.on("error", (e) => reply({ stdout: "", stderr: "", summary: { code: -1 }, error: e.message }));
  child.on("close", (code, signal) => reply({
    stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"),
    summary: { code: code ?? -1, ...(signal ? { signal } : {}), durationMs: Number(process.hrtime.bigint() - started) / 1e6 },
  }));
});

process.on("SIGTERM", () => {
  for (const term of shells.values()) { try { term.kill("SIGHUP"); } catch { /* gone */ } }
  process.exit(0);
});
