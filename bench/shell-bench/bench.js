#!/usr/bin/env node
// Shell benchmark: output throughput (MB/s of shell_output data delivered to a socket.io
// server) and keystroke echo latency (p50/p99) on loopback. Not run by tests; see README.md.
"use strict";
const path = require("path");
const fs = require("fs");
const os = require("os");
const http = require("http");
const { spawn } = require("child_process");
const { Server } = require(path.join(__dirname, "../../tests/peer/node_modules/socket.io"));

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const nodeRef = args.agent === "node";   // the Node.js reference agent (bench/lib/node-ref-agent.js) instead of Tether
const agentCmd = nodeRef
  ? [process.execPath, path.join(__dirname, "../lib/node-ref-agent.js")]
  : (process.env.TETHER_AGENT_BIN || "").split(" ").filter(Boolean);
if (agentCmd.length === 0) {
  console.error("set TETHER_AGENT_BIN (the tether binary, or 'dotnet path/to/tether.dll')");
  process.exit(2);
}
const megabytes = Number(args.mb || 100);
const keystrokes = Number(args.keys || 300);
const encoding = args.encoding || "utf8";
// zero: `head -c N /dev/zero | tr '\\0' a` (one endless line); base64: `head -c N /dev/urandom | base64`
// (76 characters and CR LF a line, N raw bytes become 1.35 N characters at the server).
const workload = args.workload || "zero";
const CLK_TCK = Number(require("child_process").execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
function cpuSec(pid) {
  // utime + stime of the agent process itself: its children (the shell, head, base64) are not counted.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}
function switches(pid) {
  // Times any thread of the agent was switched in (/proc/PID/task/*/schedstat, field 3): its wake-ups.
  let n = 0;
  for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
    try { n += Number(fs.readFileSync(`/proc/${pid}/task/${t}/schedstat`, "utf8").split(" ")[2]); } catch { /* thread gone */ }
  }
  return n;
}

const httpServer = http.createServer();
const io = new Server(httpServer, { serveClient: false });
const nsp = io.of("/agents");
let socket;
let onOutput = () => {};
const connected = new Promise((resolve) => {
  nsp.on("connection", (s) => {
    socket = s;
    s.emit("hello_ack", { clientId: "bench", serverTime: Date.now() });
    s.on("shell_output", (p) => onOutput(encoding === "base64" ? Buffer.from(p.data, "base64").toString("latin1") : p.data));
    resolve();
  });
});

// A marker can straddle two shell_output events (they are cut at 64 KiB): each event is looked at
// with the end of the one before it.
function withTail() {
  let tail = "";
  return (d) => {
    const seen = tail + d;
    tail = seen.slice(-16);
    return seen;
  };
}

function waitFor(pred, timeoutMs) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("timeout")), timeoutMs);
    const joined = withTail();
    onOutput = (d) => {
      if (pred(joined(d))) {
        clearTimeout(t);
        onOutput = () => {};
        resolve(process.hrtime.bigint());
      }
    };
  });
}

const input = (data) => socket.emit("shell_input", { session: "b", data });

(async () => {
  await new Promise((r) => httpServer.listen(0, "127.0.0.1", r));
  const port = httpServer.address().port;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shell-bench-"));
  const config = {
    clientId: "bench",
    serverUrl: `http://127.0.0.1:${port}`,
    authToken: "bench-token",
    statsIntervalSec: 3600,
    shell: { command: "/bin/bash", args: ["--norc", "--noprofile", "-i"], outputEncoding: encoding },
  };
  fs.writeFileSync(path.join(dir, "agent-config.json"), JSON.stringify(config));
  const agentArgs = nodeRef
    ? [`http://127.0.0.1:${port}`, config.authToken, config.clientId, String(config.statsIntervalSec), ...(encoding === "base64" ? ["--base64"] : [])]
    : ["run", "--config", path.join(dir, "agent-config.json")];
  const agent = spawn(agentCmd[0], [...agentCmd.slice(1), ...agentArgs], {
    cwd: dir,
    stdio: ["ignore", "ignore", process.env.BENCH_VERBOSE ? "inherit" : "ignore"],
  });
  try {
    await connected;
    socket.emit("shell_start", { session: "b" });
    let ready = waitFor((d) => d.includes("ready-42"), 20000);
    input("PS1='$ '; echo ready-$((40+2))\n");
    await ready;
    await new Promise((r) => setTimeout(r, 300));

    // Throughput: count the bytes between the command and its end marker.
    let bytes = 0;
    let first = 0n;
    const total = megabytes * 1000 * 1000;
    const done = new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`throughput timeout: ${bytes} bytes arrived, the end marker did not`)), 600000);
      const joined = withTail();
      onOutput = (d) => {
        if (first === 0n) first = process.hrtime.bigint();
        bytes += d.length;
        if (joined(d).includes("end-42")) {
          clearTimeout(t);
          resolve(process.hrtime.bigint());
        }
      };
    });
    const cpu0 = cpuSec(agent.pid);
    const sw0 = switches(agent.pid);
    const sent = process.hrtime.bigint();
    const producer = workload === "base64" ? `head -c ${total} /dev/urandom | base64` : `head -c ${total} /dev/zero | tr '\\0' 'a'`;
    input(`${producer}; echo; echo end-$((6*7))\n`);
    const end = await done;
    const cpu = cpuSec(agent.pid) - cpu0;
    const sw = switches(agent.pid) - sw0;
    const seconds = Number(end - sent) / 1e9;
    console.log(`throughput: ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s = ${(bytes / 1e6 / seconds).toFixed(1)} MB/s (${encoding}, ${workload})`);
    console.log(`agent cpu: ${cpu.toFixed(2)} s = ${(cpu / (bytes / 1e6)).toFixed(4)} s/MB (utime+stime of the agent, children excluded)`);
    console.log(`agent wake-ups: ${sw} = ${(sw / (bytes / 1e6)).toFixed(0)} per MB (threads switched in, live threads only)`);
    await new Promise((r) => setTimeout(r, 500));

    // Echo latency: one character typed at the prompt, timed until readline echoes it;
    // a backspace erases it again (also timed as a keystroke).
    const samples = [];
    for (let i = 0; i < keystrokes; i++) {
      const ch = String.fromCharCode(97 + (i % 26));
      let p = waitFor((d) => d.includes(ch), 5000);
      let t0 = process.hrtime.bigint();
      input(ch);
      samples.push(Number((await p) - t0) / 1e6);
      p = waitFor((d) => d.includes("\b"), 5000);
      t0 = process.hrtime.bigint();
      input("\x7f");
      samples.push(Number((await p) - t0) / 1e6);
      await new Promise((r) => setTimeout(r, 5));
    }
    samples.sort((a, b) => a - b);
    const pct = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
    console.log(`echo latency: n=${samples.length} p50=${pct(0.5).toFixed(2)} ms p99=${pct(0.99).toFixed(2)} ms max=${samples[samples.length - 1].toFixed(2)} ms`);
    const status = fs.readFileSync(`/proc/${agent.pid}/status`, "utf8");
    const hwm = /VmHWM:\s+(\d+)/.exec(status);
    if (hwm) console.log(`agent peak RSS (VmHWM): ${(Number(hwm[1]) / 1024).toFixed(1)} MB`);
  } finally {
    agent.kill("SIGTERM");
    await new Promise((r) => agent.on("exit", r));
    io.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
