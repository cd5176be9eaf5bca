"use strict";
// Self-test of the peer: its HMAC check and its control channel, driven with the real
// socket.io-client package.

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const path = require("node:path");
const readline = require("node:readline");
const { spawn } = require("node:child_process");
const { io } = require("socket.io-client");

const TOKEN = "self-test-token";
const SERVER = path.join(__dirname, "..", "server.js");

class Peer {
  constructor(args) {
    this.records = [];
    this.waiters = [];
    this.stderr = "";
    this.nextId = 1;
    this.child = spawn(process.execPath, [SERVER, "--port", "0", "--token", TOKEN, ...args], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stderr.on("data", (d) => (this.stderr += d));
    readline.createInterface({ input: this.child.stdout }).on("line", (line) => {
      const rec = JSON.parse(line);
      this.records.push(rec);
      this.waiters = this.waiters.filter((w) => !w(rec));
    });
  }

  // Resolves with the first record (already seen or still to come) that matches.
  waitFor(match, timeoutMs = 3000) {
    const seen = this.records.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out; records: ${JSON.stringify(this.records)}; stderr: ${this.stderr}`)),
        timeoutMs,
      );
      this.waiters.push((rec) => {
        if (!match(rec)) return false;
        clearTimeout(timer);
        resolve(rec);
        return true;
      });
    });
  }

  async control(msg) {
    const id = this.nextId++;
    this.child.stdin.write(JSON.stringify({ id, ...msg }) + "\n");
    return this.waitFor((r) => r.kind === "ack" && r.id === id);
  }

  async url() {
    return (await this.waitFor((r) => r.kind === "listening")).url;
  }

  kill() {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }
}

function sign(token, clientId, ts) {
  return crypto.createHmac("sha256", token).update(JSON.stringify({ clientId, ts })).digest("hex");
}

const clients = [];

function connect(url, { clientId, token = TOKEN, ts = Date.now(), sig } = {}) {
  const auth = { clientId, ts, sig: sig ?? sign(token, clientId, ts) };
  const socket = io(url + "/agents", {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    query: { clientId, ts: String(ts), sig: auth.sig },
    auth,
  });
  clients.push(socket);
  return socket;
}

function once(socket, event) {
  return new Promise((resolve) => socket.once(event, (...args) => resolve(args)));
}

let peer;
let url;

before(async () => {
  peer = new Peer([]);
  url = await peer.url();
});

after(() => {
  for (const s of clients) s.close();
  peer.kill();
});

test("valid signature is accepted and hello_ack arrives", async () => {
  const socket = connect(url, { clientId: "agent-1" });
  const [ack] = await once(socket, "hello_ack");
  assert.equal(ack.clientId, "agent-1");
  assert.equal(typeof ack.serverTime, "number");
  const rec = await peer.waitFor((r) => r.kind === "connect" && r.clientId === "agent-1");
  assert.equal(rec.query.clientId, "agent-1");
  assert.equal(rec.auth.sig, rec.query.sig);
  socket.close();
});

test("clientId with quotes, backslash, <>&, accents, CJK and emoji is accepted when signed", async () => {
  const clientId = 'we"ird\\id <a>&b é 中 😀';
  const socket = connect(url, { clientId });
  const [ack] = await once(socket, "hello_ack");
  assert.equal(ack.clientId, clientId);
  socket.close();
});

test("wrong token is refused with CONNECT_ERROR invalid signature", async () => {
  const socket = connect(url, { clientId: "agent-bad", token: "not-the-token" });
  const [err] = await once(socket, "connect_error");
  assert.equal(err.message, "invalid signature");
  const rec = await peer.waitFor((r) => r.kind === "connect_error" && r.query.clientId === "agent-bad");
  assert.equal(rec.reason, "invalid signature");
});

test("stale timestamp is refused", async () => {
  const socket = connect(url, { clientId: "agent-stale", ts: Date.now() - 10 * 60 * 1000 });
  const [err] = await once(socket, "connect_error");
  assert.equal(err.message, "stale timestamp");
});

test("query and auth that disagree are refused", async () => {
  const ts = Date.now();
  const sig = sign(TOKEN, "agent-q", ts);
  const socket = io(url + "/agents", {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    query: { clientId: "agent-q", ts: String(ts), sig },
    auth: { clientId: "agent-other", ts, sig },
  });
  clients.push(socket);
  const [err] = await once(socket, "connect_error");
  assert.equal(err.message, "auth mismatch");
});

test("events are recorded with payload and size, unknown ones too", async () => {
  const socket = connect(url, { clientId: "agent-ev" });
  await once(socket, "hello_ack");
  socket.emit("stats", { type: "stats", data: { cpu: 1.5 } });
  socket.emit("never_heard_of_it", 1, "two");
  const stats = await peer.waitFor((r) => r.kind === "event" && r.clientId === "agent-ev" && r.event === "stats");
  assert.deepEqual(stats.payload, { type: "stats", data: { cpu: 1.5 } });
  assert.equal(stats.bytes, Buffer.byteLength(JSON.stringify([{ type: "stats", data: { cpu: 1.5 } }])));
  const odd = await peer.waitFor((r) => r.kind === "event" && r.event === "never_heard_of_it");
  assert.deepEqual(odd.args, [1, "two"]);
  socket.close();
});

test("control: emit, emitRaw, count, disconnect and malformed lines", async () => {
  const socket = connect(url, { clientId: "agent-ctl" });
  await once(socket, "hello_ack");

  const got = once(socket, "shell_start");
  const ack = await peer.control({ cmd: "emit", event: "shell_start", payload: { session: "s1" }, clientId: "agent-ctl" });
  assert.equal(ack.ok, true);
  assert.equal(ack.count, 1);
  assert.deepEqual((await got)[0], { session: "s1" });

  const raw = once(socket, "admin_run");
  await peer.control({ cmd: "emitRaw", args: ["admin_run", 42, "x"], clientId: "agent-ctl" });
  assert.deepEqual(await raw, [42, "x"]);

  const count = await peer.control({ cmd: "count" });
  assert.ok(count.count >= 1);

  peer.child.stdin.write("{not json\n");
  const bad = await peer.waitFor((r) => r.kind === "ack" && r.ok === false && /malformed/.test(r.error));
  assert.equal(bad.ok, false);
  const unknown = await peer.control({ cmd: "explode" });
  assert.equal(unknown.ok, false);

  const gone = once(socket, "disconnect");
  const disc = await peer.control({ cmd: "disconnect", clientId: "agent-ctl" });
  assert.equal(disc.count, 1);
  assert.deepEqual((await gone)[0], "io server disconnect");
  await peer.waitFor((r) => r.kind === "disconnect" && r.clientId === "agent-ctl");
});

test("control: replyOnce answers the first matching event once, from the peer", async () => {
  const socket = connect(url, { clientId: "agent-reply" });
  await once(socket, "hello_ack");
  const ack = await peer.control({ cmd: "replyOnce", when: "backup_complete", planId: "p1", event: "backup_start", payload: { planId: "p1", n: 2 } });
  assert.equal(ack.ok, true);
  const bad = await peer.control({ cmd: "replyOnce", when: "x" });
  assert.equal(bad.ok, false);

  const replies = [];
  socket.on("backup_start", (p) => replies.push(p));
  socket.emit("backup_complete", { planId: "other" });
  socket.emit("backup_complete", { planId: "p1" });
  socket.emit("backup_complete", { planId: "p1" });
  await peer.waitFor((r) => r.kind === "sent" && r.reply === true && r.clientId === "agent-reply");
  await peer.waitFor((r) => r.kind === "event" && r.clientId === "agent-reply" && r.event === "backup_complete" && r.payload.planId === "p1"
    && peer.records.filter((x) => x.kind === "event" && x.clientId === "agent-reply" && x.event === "backup_complete").length === 3);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(replies, [{ planId: "p1", n: 2 }]);
  socket.close();
});

test("control: hello_ack can be turned off at run time", async () => {
  await peer.control({ cmd: "set", helloAck: false });
  try {
    const socket = connect(url, { clientId: "agent-quiet" });
    let helloAcks = 0;
    socket.on("hello_ack", () => helloAcks++);
    await once(socket, "connect");
    // hello_ack would be emitted in the connection handler, before anything this emit sends.
    const probe = once(socket, "probe");
    await peer.control({ cmd: "emit", event: "probe", payload: 1, clientId: "agent-quiet" });
    await probe;
    assert.equal(helloAcks, 0);
    socket.close();
  } finally {
    await peer.control({ cmd: "set", helloAck: true });
  }
});

test("a client on the default namespace is recorded, and engine closes name the clientId", async () => {
  const stray = io(url, { transports: ["websocket"], reconnection: false, forceNew: true, query: { clientId: "stray" } });
  clients.push(stray);
  await once(stray, "connect");
  const rec = await peer.waitFor((r) => r.kind === "default_namespace_connect" && r.query.clientId === "stray");
  assert.ok(rec.sid);
  stray.close();

  const socket = connect(url, { clientId: "agent-close" });
  await once(socket, "hello_ack");
  socket.close();
  const closed = await peer.waitFor((r) => r.kind === "engine_close" && r.clientId === "agent-close");
  assert.equal(closed.reason, "transport close");
});
