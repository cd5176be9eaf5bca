#!/usr/bin/env node
// The reference of the whole-process benchmarks: the floor of any Node.js agent, a bare
// Node process holding one socket.io-client connection, signed like the agent (docs/protocol.md §2),
// that answers hello_ack with a small stats event and repeats it every interval.
//   node node-ref-client.js SERVER_URL TOKEN CLIENT_ID STATS_INTERVAL_SEC
"use strict";
const crypto = require("node:crypto");
const os = require("node:os");
const path = require("node:path");
const { io } = require(path.join(__dirname, "../../tests/peer/node_modules/socket.io-client"));

const [serverUrl, token, clientId, intervalSec] = process.argv.slice(2);
const ts = Date.now();
const sig = crypto.createHmac("sha256", token).update(JSON.stringify({ clientId, ts })).digest("hex");
const socket = io(serverUrl + "/agents", {
  transports: ["websocket"],
  query: { clientId, ts: String(ts), sig },
  auth: { clientId, ts, sig },
});

function stats() {
  const data = { load: os.loadavg(), mem: 100 * (1 - os.freemem() / os.totalmem()), uptimeSec: os.uptime(), ts: new Date().toISOString() };
  socket.emit("stats", { type: "stats", t: "stats", data });
}

let timer;
socket.on("hello_ack", () => {
  stats();
  clearInterval(timer);
  timer = setInterval(stats, Number(intervalSec) * 1000);
});
process.on("SIGTERM", () => process.exit(0));
