#!/usr/bin/env python3
"""A stand-in Engine API for ContainerBenchmarks, run in its own process so its allocations are
not counted: GET /containers/json lists N running containers, GET /containers/{id}/stats answers
with Podman 4.3's captured one-shot shape (chunked, as Podman sends it), the CPU counter moving."""
import json, os, socket, socketserver, sys, time

path, count = sys.argv[1], int(sys.argv[2])
ids = ["%064x" % (0xabc000 + i) for i in range(count)]
listing = json.dumps([{"Id": i, "Names": ["/bench-%d" % n], "Image": "localhost/bench:1", "State": "running"} for n, i in enumerate(ids)]).encode()
start = time.time()

def stats(cid):
    now = time.time()
    ns = int((now - start) * 1e9)
    return json.dumps({"read": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%09dZ" % int((now % 1) * 1e9),
        "preread": "0001-01-01T00:00:00Z", "pids_stats": {"current": 1},
        "cpu_stats": {"cpu_usage": {"total_usage": ns // 2, "percpu_usage": [ns // 4, ns // 4], "usage_in_kernelmode": 8000000, "usage_in_usermode": ns // 2},
                      "system_cpu_usage": 11485814872442 + ns * 2, "online_cpus": 2, "cpu": 50.0},
        "precpu_stats": {"cpu_usage": {"total_usage": 0}, "cpu": 0},
        "memory_stats": {"usage": 241664, "limit": 25276203008}, "name": "bench", "Id": cid,
        "networks": {"network": {"rx_bytes": ns // 1000, "tx_bytes": ns // 2000}}}).encode()

class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        line = self.rfile.readline().decode()
        while self.rfile.readline() not in (b"\r\n", b""):
            pass
        target = line.split(" ")[1]
        if target.startswith("/containers/json"):
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(listing) + listing)
        else:
            body = stats(target.split("/")[2])
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n")

class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

if os.path.exists(path):
    os.unlink(path)
Server(path, Handler).serve_forever()
