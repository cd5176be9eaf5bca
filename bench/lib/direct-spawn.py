#!/usr/bin/env python3
"""Reference for admin_run: posix_spawn of `true` (what the agent's launcher uses, glibc's
vfork-style spawn) straight from a tiny loop, N times; prints one latency in ms per line."""
import os, sys, time

n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
for _ in range(n):
    t0 = time.perf_counter()
    pid = os.posix_spawnp("true", ["true"], os.environ)
    os.waitpid(pid, 0)
    print(f"{(time.perf_counter() - t0) * 1000:.3f}")
