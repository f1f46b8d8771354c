"""The web half of the sweep: bad bodies, types, methods, paths and raw HTTP against
`traincost serve`; a 5xx, a hang or a 200 for bad input is flagged."""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import urllib.error

import common
from files import SPEC
from common import BIN, M, NAN_RE, ONLY, ROOT, TMP, flag

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def sweep_web():
    port = free_port()
    srv = subprocess.Popen([BIN, "serve", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    srv.stdout.readline()
    base = f"http://127.0.0.1:{port}"

    def req(name, method, path, body=None, expect_bad=True, raw=None, headers=None, field=None, timeout=10):
        if ONLY and ONLY not in name:
            return
        common.count += 1
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        r = urllib.request.Request(base + path, data=data, method=method, headers=headers or {"Content-Type": "application/json"})
        t0 = time.time()
        try:
            with urllib.request.urlopen(r, timeout=timeout) as resp:
                status, text = resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode("utf-8", "replace")
        except Exception as e:  # timeout, reset
            flag("web " + name, f"no answer: {e}", path)
            return
        if status >= 500:
            flag("web " + name, f"HTTP {status}", text[:300])
        elif expect_bad is True and status == 200:
            flag("web " + name, "200 for bad input", text[:200])
        elif expect_bad is False and status != 200:
            flag("web " + name, f"good input refused {status}", text[:300])
        elif status == 200 and NAN_RE.search(text) and "validation" not in path:
            flag("web " + name, "nan/inf in 200 answer", NAN_RE.search(text).group(0))
        elif expect_bad is True and field and field not in text:
            flag("web " + name, f"error does not name {field}", text[:300])

    good = {"estimate": {"model": M, "hardware": "h100-sxm", "tokens": "1T", "gpus": 64, "mfu": 0.4},
            "plan": {"model": M, "hardware": "h100-sxm", "tokens": "1T", "gpus": 64},
            "params": {"model": M}, "flops": {"model": M},
            "check": {"model": M, "hardware": "h100-sxm", "tokens": "15T", "claimed_gpu_hours": "1.46M"},
            "compare": {"model": "mixtral-8x7b", "hardware": "h100-sxm", "tokens": "1T"},
            "compare-hardware": {"model": M, "hardware": "h100-sxm,b200", "tokens": "1T", "gpus": 64},
            "budget": {"usd": "5M", "hardware": "h100-sxm"}, "export": {"cap_tpp": 507e6}}
    for ep, body in good.items():
        req(f"{ep} good", "POST", f"/api/{ep}", body, expect_bad=False, timeout=60)
        for raw in [b"", b"{", b"[]", b"null", b"5", b'"x"', b"{\"a\":}", b"\xff\xfe", b"{}" + b" " * 10, b"{\"model\": NaN}",
                    b'{"tokens": Infinity}']:
            req(f"{ep} raw {raw[:10]!r}", "POST", f"/api/{ep}", raw=raw, expect_bad=True if raw.strip() != b"{}" or ep not in ("models",) else "maybe")
        for k in list(body):
            for v in ["nan", "NaN", "inf", -1, 0, 1e308, "", [], {}, True, None, "15TT", 100.5, 9999999999999999999,
                      -9999999999999999999, 1e-300, 18446744073709551615, 18446744073709551616]:
                if v is None:
                    continue
                b = dict(body)
                b[k] = v
                real_valued = k in ("usd", "cap_tpp", "claimed_gpu_hours")
                maybe = (k == "gpus" and ep in ("check", "compare")) or (real_valued and v == 100.5)
                req(f"{ep} {k}={v!r}", "POST", f"/api/{ep}", b, expect_bad="maybe" if maybe else True, field=k, timeout=30)
            b = dict(body)
            del b[k]
            req(f"{ep} missing {k}", "POST", f"/api/{ep}", b, expect_bad="maybe", timeout=30)
        b = dict(body, frobnicate=1)
        req(f"{ep} unknown field", "POST", f"/api/{ep}", b, field="frobnicate")
        req(f"{ep} GET", "GET", f"/api/{ep}", None, expect_bad=True)
        req(f"{ep} PUT", "PUT", f"/api/{ep}", body, expect_bad=True)
        req(f"{ep} DELETE", "DELETE", f"/api/{ep}", None, expect_bad=True)
        req(f"{ep} path model", "POST", f"/api/{ep}", dict(body, model="/etc/passwd"), expect_bad=True if "model" in body else "maybe")
        req(f"{ep} format", "POST", f"/api/{ep}", dict(body, format="table"), expect_bad="maybe")
        req(f"{ep} huge body", "POST", f"/api/{ep}", raw=b'{"model": "' + b"a" * (20 << 20) + b'"}', expect_bad=True, timeout=30)
        req(f"{ep} text/plain", "POST", f"/api/{ep}", body, headers={"Content-Type": "text/plain"}, expect_bad="maybe")
    for path in ["/api/nosuch", "/api/hardware/nosuch", "/api/hardware/..", "/api/hardware/%00", "/api/hardware/" + "a" * 5000,
                 "/api/models/x", "/../../etc/passwd", "/api/", "/api", "/api/hardware/h100-sxm/x", "/%2e%2e/%2e%2e/etc/passwd",
                 "/api/estimate?x=1", "/api/health/x"]:
        req(f"GET {path[:40]}", "GET", path, None, expect_bad=True)
    req("POST /api/hardware", "POST", "/api/hardware", {}, expect_bad=True)
    req("POST /api/models", "POST", "/api/models", {}, expect_bad=True)
    req("POST /api/health", "POST", "/api/health", {}, expect_bad=True)
    # model_config
    for mc in [5, "x", [], {"model_type": "llama"}, {"hidden_size": -1}, {"format": "traincost.model.v1"},
               dict(SPEC, num_layers=10**12), dict(SPEC, hidden_size=1e308)]:
        req(f"params model_config {str(mc)[:30]}", "POST", "/api/params", {"model_config": mc}, expect_bad=True)
        req(f"estimate model_config {str(mc)[:30]}", "POST", "/api/estimate",
            dict(good["estimate"], model=None, model_config=mc), expect_bad=True)
    # raw socket oddities
    for raw in [b"GARBAGE\r\n\r\n", b"POST /api/params HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
                b"POST /api/params HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
                b"POST /api/params HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
                b"POST /api/params HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                b"POST /api/params HTTP/1.1\r\nContent-Length: 100\r\n\r\n{}",
                b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\n\r\n",
                b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 10000 + b"\r\n"]:
        if ONLY and ONLY not in "raw":
            continue
        common.count += 1
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        try:
            s.sendall(raw)
            s.shutdown(socket.SHUT_WR)
            resp = s.recv(4096)
            line = resp.split(b"\r\n", 1)[0]
            m = re.match(rb"HTTP/1\.\d (\d+)", line)
            if m and int(m.group(1)) >= 500:
                flag(f"raw {raw[:40]!r}", f"status {m.group(1)}", resp[:200].decode("latin1"))
            elif m and int(m.group(1)) == 200 and not raw.startswith(b"GET / HTTP/1.1\r\nX:"):
                flag(f"raw {raw[:40]!r}", "200", resp[:200].decode("latin1"))
        except socket.timeout:
            flag(f"raw {raw[:40]!r}", "hang")
        except ConnectionResetError:
            pass
        finally:
            s.close()
    if srv.poll() is not None:
        flag("server", f"server died rc={srv.returncode}")
    srv.terminate()
    srv.wait()
