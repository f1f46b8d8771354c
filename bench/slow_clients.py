#!/usr/bin/env python3
# Slow clients against `traincost serve` (issue 14's before/after numbers): starts
# BINARY serve on a free loopback port, opens N connections that trickle a header
# line (mode "header") or a body byte (mode "body") every second, times a health
# check sent 1.5 s in, and reports when the server closed the tricklers (gives up
# at 15 s). Usage: bench/slow_clients.py build/estimator/traincost header 48
import socket, subprocess, sys, time, select
binary, mode = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 48
p = subprocess.Popen([binary, "serve", "--port", "0"], stdout=subprocess.PIPE, text=True)
line = p.stdout.readline(); port = int(line.strip().rsplit(":", 1)[1].rstrip("/"))
time.sleep(0.3)
if mode == "header":
    start, drip = b"GET /api/health HTTP/1.1\r\nHost: x\r\n", b"X-Slow: 1\r\n"
else:
    start, drip = b"POST /api/params HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"model\": \"", b"x"
socks, t0, closed, got = [], time.time(), {}, {}
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(start); socks.append(s)
health = None
nxt = t0 + 1
while time.time() - t0 < 15 and len(closed) < n:
    if health is None and time.time() - t0 > 1.5:
        h0 = time.time(); c = socket.create_connection(("127.0.0.1", port)); c.settimeout(20)
        c.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); r = c.recv(100); health = (time.time() - h0, r[:12]); c.close()
    openl = [s for s in socks if s not in closed]
    rl, _, _ = select.select(openl, [], [], 0.05)
    for s in rl:
        try: d = s.recv(4096)
        except OSError: d = b""
        if d: got[s] = got.get(s, b"") + d
        else: closed[s] = time.time() - t0
    if time.time() >= nxt:
        nxt += 1
        for s in socks:
            if s not in closed:
                try: s.sendall(drip)
                except OSError: closed[s] = time.time() - t0
ct = sorted(closed.values())
print(f"{mode}: {n} tricklers; health {health[0]*1000:.1f} ms {health[1]}; closed {len(ct)}/{n}" +
      (f" between {ct[0]:.2f} and {ct[-1]:.2f} s" if ct else "") + f"; 408s {sum(1 for v in got.values() if v.startswith(b'HTTP/1.1 408'))}")
p.terminate(); p.wait()
