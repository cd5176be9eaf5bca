#!/usr/bin/env node
// Test peer for the Tether agent: a real socket.io v4 server that authenticates agents the
// way the Node dashboard does (docs/protocol.md §2), records everything as JSON lines on stdout and
// takes control commands as JSON lines on stdin. See README.md beside this file.
"use strict";

const crypto = require("node:crypto");
const fs = require("node:fs");
const http = require("node:http");
const https = require("node:https");
const readline = require("node:readline");
const { performance } = require("node:perf_hooks");
const { Server } = require("socket.io");

const USAGE = `usage: node server.js [options]
  --host HOST                 listen address (default 127.0.0.1)
  --port N                    0 picks a free port (default 0)
  --token KEY                 HMAC key the agents sign with (default "test-token")
  --namespace NS              socket.io namespace (default /agents)
  --path PATH                 engine.io path (default /socket.io)
  --tls-cert FILE --tls-key FILE   PEM files; serve https/wss
  --max-http-buffer-size N    bytes (default 1e6)
  --ping-interval MS          (default 25000)
  --ping-timeout MS           (default 20000)
  --max-skew-ms MS            accepted |now - ts| (default 300000)
  --no-hello-ack              do not emit hello_ack on connect
  --demo                      one readable line per event instead of JSON`;

function parseArgs(argv) {
  const opts = {
    host: "127.0.0.1",
    port: 0,
    token: "test-token",
    namespace: "/agents",
    path: "/socket.io",
    tlsCert: null,
    tlsKey: null,
    maxHttpBufferSize: 1e6,
    pingInterval: 25000,
    pingTimeout: 20000,
    maxSkewMs: 300000,
    helloAck: true,
    demo: false,
  };
  const numeric = {
    "--port": "port",
    "--max-http-buffer-size": "maxHttpBufferSize",
    "--ping-interval": "pingInterval",
    "--ping-timeout": "pingTimeout",
    "--max-skew-ms": "maxSkewMs",
  };
  const text = {
    "--host": "host",
    "--token": "token",
    "--namespace": "namespace",
    "--path": "path",
    "--tls-cert": "tlsCert",
    "--tls-key": "tlsKey",
  };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const take = () => {
      if (value !== undefined) return value;
      if (i + 1 >= argv.length) fail(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--no-hello-ack") opts.helloAck = false;
    else if (arg === "--demo") opts.demo = true;
    else if (arg === "--help" || arg === "-h") {
      process.stdout.write(USAGE + "\n");
      process.exit(0);
    } else if (numeric[arg]) {
      const raw = take();
      const n = Number(raw);
      if (!Number.isFinite(n) || n < 0) fail(`${arg}: not a non-negative number: ${raw}`);
      opts[numeric[arg]] = n;
    } else if (text[arg]) opts[text[arg]] = take();
    else fail(`unknown option ${arg}`);
  }
  if ((opts.tlsCert === null) !== (opts.tlsKey === null)) fail("--tls-cert and --tls-key go together");
  if (!opts.namespace.startsWith("/")) fail("--namespace must start with /");
  return opts;
}

function fail(message) {
  process.stderr.write(`server.js: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const state = { helloAck: opts.helloAck, token: opts.token, maxSkewMs: opts.maxSkewMs };

// ---------------------------------------------------------------------------------------
// Output: one JSON object per line (or one readable line per event with --demo).

function now() {
  return performance.timeOrigin + performance.now();
}

function safeJson(value) {
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  } catch (err) {
    return JSON.stringify({ unserializable: String(err && err.message) });
  }
}

function record(kind, fields) {
  const rec = { kind, at: now(), ...fields };
  if (opts.demo) process.stdout.write(demoLine(rec) + "\n");
  else process.stdout.write(safeJson(rec) + "\n");
}

function compact(value, max = 160) {
  const s = value === undefined ? "" : safeJson(value);
  return s.length > max ? s.slice(0, max - 1) + "…" : s;
}

function demoLine(rec) {
  const time = new Date(rec.at).toISOString().slice(11, 23);
  const who = rec.clientId !== undefined ? String(rec.clientId) : "-";
  switch (rec.kind) {
    case "listening":
      return `${time}  listening on ${rec.url} (namespace ${opts.namespace}, path ${opts.path}/, token "${state.token}")`;
    case "connect":
      return `${time}  ${who}  CONNECTED  sid=${rec.sid} from ${rec.address || "?"}`;
    case "connect_error":
      return `${time}  ${rec.query && rec.query.clientId !== undefined ? rec.query.clientId : "-"}  REFUSED  ${rec.reason}`;
    case "event":
      return `${time}  ${who}  <- ${rec.event}  ${compact(rec.payload)}  (${rec.bytes} B)`;
    case "sent":
      return `${time}  ${who}  -> ${rec.event}  ${compact(rec.payload)}`;
    case "disconnect":
      return `${time}  ${who}  DISCONNECTED  ${rec.reason}${rec.description ? " (" + rec.description + ")" : ""}`;
    case "ack":
      return `${time}  control ${rec.id === undefined ? "" : "#" + rec.id + " "}${rec.ok ? "ok" : "FAILED: " + rec.error}${rec.count !== undefined ? " count=" + rec.count : ""}`;
    default:
      return `${time}  ${who}  ${rec.kind}  ${compact(Object.fromEntries(Object.entries(rec).filter(([k]) => k !== "kind" && k !== "at")))}`;
  }
}

let listening = false;
process.on("uncaughtException", (err) => {
  process.stderr.write(`uncaught exception: ${err && err.stack ? err.stack : err}\n`);
  record("error", { message: String(err && err.message), stack: err && err.stack ? String(err.stack) : undefined });
  // Failing to start (unreadable certificate, ...) is fatal; later, a test sees the error record.
  if (!listening) process.exit(1);
});
process.on("unhandledRejection", (err) => {
  process.stderr.write(`unhandled rejection: ${err && err.stack ? err.stack : err}\n`);
  record("error", { message: String(err && err.message), stack: err && err.stack ? String(err.stack) : undefined });
});
// A test harness that goes away must not leave us writing into a closed pipe forever.
process.stdout.on("error", (err) => {
  if (err && err.code === "EPIPE") process.exit(0);
});

// ---------------------------------------------------------------------------------------
// Authentication, exactly as the dashboard checks it (docs/protocol.md §2).

function expectedSignature(clientId, ts) {
  return crypto.createHmac("sha256", state.token).update(JSON.stringify({ clientId, ts })).digest("hex");
}

// Returns null when the handshake is good, else the reason the client gets in CONNECT_ERROR.
function checkAuth(query, auth) {
  const fields = ["clientId", "ts", "sig"];
  for (const f of fields) {
    if (query[f] === undefined || query[f] === null || query[f] === "") return "missing auth";
    if (!auth || auth[f] === undefined || auth[f] === null || auth[f] === "") return "missing auth";
  }
  for (const f of fields) {
    if (typeof query[f] !== "string") return `invalid ${f}`;
    if (typeof auth[f] !== "string" && !(f === "ts" && typeof auth[f] === "number")) return `invalid ${f}`;
    if (String(auth[f]) !== query[f]) return "auth mismatch";
  }
  const clientId = query.clientId;
  const ts = Number(query.ts);
  if (!Number.isFinite(ts)) return "invalid timestamp";
  if (Math.abs(Date.now() - ts) > state.maxSkewMs) return "stale timestamp";
  const sig = query.sig;
  if (!/^[0-9a-f]+$/.test(sig) || sig.length % 2 !== 0) return "invalid signature";
  const given = Buffer.from(sig, "hex");
  const expected = Buffer.from(expectedSignature(clientId, ts), "hex");
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return "invalid signature";
  return null;
}

// ---------------------------------------------------------------------------------------
// Server

const requestHandler = (req, res) => {
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("not found\n");
};
const httpServer = opts.tlsCert
  ? https.createServer({ cert: fs.readFileSync(opts.tlsCert), key: fs.readFileSync(opts.tlsKey) }, requestHandler)
  : http.createServer(requestHandler);

const io = new Server(httpServer, {
  path: opts.path,
  serveClient: false,
  maxHttpBufferSize: opts.maxHttpBufferSize,
  pingInterval: opts.pingInterval,
  pingTimeout: opts.pingTimeout,
});
const nsp = io.of(opts.namespace);

// Engine-level events: why a raw connection ended (e.g. "transport error" for a frame over
// maxHttpBufferSize) and handshakes refused before socket.io sees them.
const clientIdByEngineId = new Map();
io.engine.on("connection", (rawSocket) => {
  rawSocket.on("close", (reason, description) => {
    const clientId = clientIdByEngineId.get(rawSocket.id);
    clientIdByEngineId.delete(rawSocket.id);
    record("engine_close", {
      eid: rawSocket.id,
      clientId,
      reason,
      description: description ? String(description.message || description) : undefined,
    });
  });
});
io.engine.on("connection_error", (err) => {
  record("engine_connection_error", {
    code: err.code,
    message: err.message,
    url: err.req && err.req.url ? String(err.req.url).replace(/([?&]sig=)[^&]*/, "$1…") : undefined,
  });
});

function plainQuery(query) {
  const out = {};
  for (const [k, v] of Object.entries(query || {})) out[k] = v;
  return out;
}

nsp.use((socket, next) => {
  const query = plainQuery(socket.handshake.query);
  const auth = socket.handshake.auth;
  let reason;
  try {
    reason = checkAuth(query, auth);
  } catch (err) {
    reason = "auth check failed: " + (err && err.message);
  }
  if (reason !== null) {
    record("connect_error", { reason, query, auth, headers: socket.handshake.headers });
    next(new Error(reason));
    return;
  }
  socket.data.clientId = query.clientId;
  next();
});

// An agent that joins the default namespace instead of ours would otherwise go unnoticed.
if (nsp.name !== "/") {
  io.of("/").on("connection", (socket) => {
    record("default_namespace_connect", { sid: socket.id, eid: socket.conn.id, query: plainQuery(socket.handshake.query) });
  });
}

nsp.on("connection", (socket) => {
  const clientId = socket.data.clientId;
  clientIdByEngineId.set(socket.conn.id, clientId);
  record("connect", {
    sid: socket.id,
    eid: socket.conn.id,
    clientId,
    query: plainQuery(socket.handshake.query),
    auth: socket.handshake.auth,
    headers: socket.handshake.headers,
    address: socket.handshake.address,
    secure: socket.handshake.secure,
  });

  socket.onAny((event, ...args) => {
    let ackRequested = false;
    if (args.length > 0 && typeof args[args.length - 1] === "function") {
      ackRequested = true;
      args.pop();
    }
    const json = safeJson(args);
    const rec = {
      sid: socket.id,
      clientId,
      event,
      payload: args.length > 0 ? args[0] : null,
      bytes: Buffer.byteLength(json, "utf8"),
    };
    if (args.length !== 1) rec.args = args;
    if (ackRequested) rec.ackRequested = true;
    record("event", rec);
    fireReplies(socket, event, rec.payload);
  });

  socket.on("disconnect", (reason, description) => {
    record("disconnect", {
      sid: socket.id,
      clientId,
      reason,
      description: description ? String(description.message || description.description || description) : undefined,
    });
  });

  if (state.helloAck) {
    const payload = { clientId, serverTime: Date.now() };
    socket.emit("hello_ack", payload);
    record("sent", { sid: socket.id, clientId, event: "hello_ack", payload });
  }
});

// ---------------------------------------------------------------------------------------
// Control channel: JSON lines on stdin, each answered by one {kind:"ack"} line.

function targets(clientId) {
  const all = [...nsp.sockets.values()];
  return clientId === undefined || clientId === null ? all : all.filter((s) => s.data.clientId === clientId);
}

let shuttingDown = false;

function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  io.close(() => process.exit(code));
  // close() waits for keep-alive HTTP connections; the tests want us gone now.
  setTimeout(() => process.exit(code), 1000).unref();
}

// One-shot replies (the `replyOnce` command): sent from here the moment the agent's event
// arrives, with no round trip through the test process, so a test can race the agent.
const replies = [];

function fireReplies(socket, event, payload) {
  for (let i = 0; i < replies.length; i++) {
    const r = replies[i];
    if (r.when !== event) continue;
    if (r.clientId !== undefined && r.clientId !== socket.data.clientId) continue;
    if (r.planId !== undefined && !(payload && typeof payload === "object" && payload.planId === r.planId)) continue;
    replies.splice(i, 1);
    const args = Object.prototype.hasOwnProperty.call(r, "payload") ? [r.payload] : [];
    socket.emit(r.event, ...args);
    record("sent", { sid: socket.id, clientId: socket.data.clientId, event: r.event, payload: args[0], reply: true });
    return;
  }
}

const commands = {
  replyOnce(msg) {
    if (typeof msg.when !== "string" || msg.when === "") throw new Error("replyOnce needs a string when");
    if (typeof msg.event !== "string" || msg.event === "") throw new Error("replyOnce needs a string event");
    if (msg.planId !== undefined && typeof msg.planId !== "string") throw new Error("planId must be a string");
    const r = { when: msg.when, event: msg.event, clientId: msg.clientId, planId: msg.planId };
    if (Object.prototype.hasOwnProperty.call(msg, "payload")) r.payload = msg.payload;
    replies.push(r);
    return { count: replies.length };
  },
  emit(msg) {
    if (typeof msg.event !== "string" || msg.event === "") throw new Error("emit needs a string event");
    const list = targets(msg.clientId);
    const args = Object.prototype.hasOwnProperty.call(msg, "payload") ? [msg.payload] : [];
    for (const s of list) {
      s.emit(msg.event, ...args);
      record("sent", { sid: s.id, clientId: s.data.clientId, event: msg.event, payload: args[0] });
    }
    return { count: list.length };
  },
  emitRaw(msg) {
    if (!Array.isArray(msg.args)) throw new Error("emitRaw needs an args array");
    const list = targets(msg.clientId);
    for (const s of list) {
      // Bypass Socket#emit's checks so any args (no event name, a number, ...) go out as is.
      s.packet({ type: 2, data: msg.args, nsp: nsp.name });
      record("sent", { sid: s.id, clientId: s.data.clientId, event: msg.args[0], payload: msg.args.slice(1), raw: true });
    }
    return { count: list.length };
  },
  sendRaw(msg) {
    // One engine.io message packet ("4" + data) with arbitrary text: malformed socket.io packets.
    if (typeof msg.data !== "string") throw new Error("sendRaw needs a string data");
    const list = targets(msg.clientId);
    for (const s of list) s.conn.write(msg.data);
    return { count: list.length };
  },
  disconnect(msg) {
    const list = targets(msg.clientId);
    for (const s of list) s.disconnect(true);
    return { count: list.length };
  },
  set(msg) {
    let changed = 0;
    if (msg.helloAck !== undefined) {
      if (typeof msg.helloAck !== "boolean") throw new Error("helloAck must be a boolean");
      state.helloAck = msg.helloAck;
      changed++;
    }
    if (msg.maxSkewMs !== undefined) {
      if (typeof msg.maxSkewMs !== "number" || !(msg.maxSkewMs >= 0)) throw new Error("maxSkewMs must be a number >= 0");
      state.maxSkewMs = msg.maxSkewMs;
      changed++;
    }
    if (msg.token !== undefined) {
      if (typeof msg.token !== "string") throw new Error("token must be a string");
      state.token = msg.token;
      changed++;
    }
    if (changed === 0) throw new Error("set needs helloAck, maxSkewMs or token");
    return {};
  },
  count() {
    return { count: nsp.sockets.size };
  },
  shutdown() {
    setImmediate(() => shutdown(0));
    return {};
  },
};

function handleControlLine(line) {
  if (line.trim() === "") return;
  let msg;
  try {
    msg = JSON.parse(line);
  } catch (err) {
    record("ack", { ok: false, error: "malformed control line: " + err.message });
    return;
  }
  if (msg === null || typeof msg !== "object" || Array.isArray(msg)) {
    record("ack", { ok: false, error: "control line must be a JSON object" });
    return;
  }
  const id = msg.id;
  const handler = typeof msg.cmd === "string" && Object.prototype.hasOwnProperty.call(commands, msg.cmd) ? commands[msg.cmd] : null;
  if (!handler) {
    record("ack", { id, ok: false, error: `unknown cmd ${safeJson(msg.cmd)}` });
    return;
  }
  try {
    const result = handler(msg);
    record("ack", { id, cmd: msg.cmd, ok: true, ...result });
  } catch (err) {
    record("ack", { id, cmd: msg.cmd, ok: false, error: String(err && err.message) });
  }
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
rl.on("line", handleControlLine);
// Whoever started us went away (the test host died): do not linger as an orphan. A person
// running --demo from a terminal keeps it open; --demo with stdin at EOF keeps running.
rl.on("close", () => {
  if (!opts.demo) shutdown(0);
});

process.on("SIGTERM", () => shutdown(0));
process.on("SIGINT", () => shutdown(0));

httpServer.on("error", (err) => {
  process.stderr.write(`server error: ${err.message}\n`);
  record("error", { message: err.message, code: err.code });
  process.exit(1);
});

httpServer.listen(opts.port, opts.host, () => {
  listening = true;
  const port = httpServer.address().port;
  const hostPart = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  const url = `${opts.tlsCert ? "https" : "http"}://${hostPart}:${port}`;
  if (opts.demo) {
    process.stdout.write(
      [
        "Tether test peer (socket.io " + require("socket.io/package.json").version + ")",
        `  url        ${url}`,
        `  namespace  ${opts.namespace}   path ${opts.path}/`,
        `  token      ${state.token}`,
        `  agent:     serverUrl "${url}", authToken "${state.token}"`,
        "",
      ].join("\n"),
    );
  }
  record("listening", { port, url, host: opts.host, namespace: opts.namespace, path: opts.path, tls: !!opts.tlsCert });
});
