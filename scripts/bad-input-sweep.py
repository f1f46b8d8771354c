#!/usr/bin/env python3
"""Sweep bad inputs through every traincost subcommand and the web API.

Usage: scripts/bad-input-sweep.py [BUILD_DIR] [--web] [--only SUBSTRING]

Each case runs with a 10 s timeout. A case is flagged when a bad input:
  - exits with anything other than 1 (bad data) or 2 (bad usage), 0 included;
  - dies on a signal (rc >= 128 or negative) or times out;
  - prints nan/inf anywhere;
  - gives an error that does not name the offending field.
A case marked "maybe" (a value that may be valid for that option) is only
flagged for a crash, a timeout or nan/inf, and listed when it exits 0.
On the web: a 5xx, a hang or a 200 for bad input is flagged.
Exit status: 0 when nothing is flagged, 1 otherwise.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "sweep"))
import common  # noqa: E402  (the build, the tallies, run_cli)
from common import BIN, CLI, M, ONLY, ROOT, TMP, WEB, flag, run_cli, scratch_data_dir, write  # noqa: E402
from files import hardware_files, model_files  # noqa: E402
from web import sweep_web  # noqa: E402

NUM_BAD = ["NaN", "nan", "inf", "-inf", "Infinity", "-1", "1e308", "1e-300", "9999999999999999999",
           "", "abc", "15TT", "1.5.3T", "-5T", "0x10", " 5", "5 ", "1e", "--", "+5", "1,000", "５"]
INT_BAD = NUM_BAD + ["0", "100.5", "1e3", "8.0", "-0", "2147483648", "4294967297"]

# Each command: a valid base (as a dict option -> value), plus positional args.
BASES = {
    "params": {"--model": M},
    "flops": {"--model": M},
    "estimate": {"--model": M, "--hardware": "h100-sxm", "--tokens": "1T", "--gpus": "64", "--mfu": "0.4"},
    "estimate-derived": {"--model": M, "--hardware": "h100-sxm", "--tokens": "1T", "--gpus": "64"},
    "estimate-days": {"--model": M, "--hardware": "h100-sxm", "--tokens": "1T"},
    "plan": {"--model": M, "--hardware": "h100-sxm", "--tokens": "1T", "--gpus": "64"},
    "check": {"--model": M, "--hardware": "h100-sxm", "--tokens": "15T", "--claimed-gpu-hours": "1.46M"},
    "compare": {"--model": "mixtral-8x7b", "--hardware": "h100-sxm", "--tokens": "1T"},
    "compare-hardware": {"--model": M, "--hardware": "h100-sxm,b200", "--tokens": "1T", "--gpus": "64"},
    "budget": {"--usd": "5M", "--hardware": "h100-sxm"},
    "budget-model": {"--model": M, "--tokens": "1T", "--days": "60", "--hardware": "h100-sxm,b200"},
    "export": {"--cap-tpp": "507e6"},
}
CMD_OF = {"estimate-derived": "estimate", "estimate-days": "estimate", "budget-model": "budget"}

# option -> (kind, values judged valid which the generic list might contain)
NUMERIC = {
    "--tokens": "num", "--gpus": "int", "--days": "num", "--seq-len": "int", "--mfu": "num",
    "--price-per-gpu-hour": "num0", "--pue": "num", "--grid-kgco2-per-kwh": "num0",
    "--global-batch-tokens": "int", "--moe-imbalance": "num", "--samples": "int", "--seed": "int0",
    "--top": "int", "--claimed-gpu-hours": "num", "--claimed-cost-usd": "num", "--claimed-days": "num",
    "--usd": "num", "--gpu-hours": "num", "--max-gpus": "int", "--cap-tpp": "num",
    "--total-params": "num", "--active-params": "num", "--layers": "int", "--experts": "int", "--top-k": "int",
}
# options to try per command beyond the base
EXTRA = {
    "params": [],
    "flops": ["--seq-len"],
    "estimate": ["--seq-len", "--price-per-gpu-hour", "--pue", "--grid-kgco2-per-kwh", "--samples"],
    "estimate-derived": ["--seq-len", "--global-batch-tokens", "--moe-imbalance", "--price-per-gpu-hour", "--pue",
                         "--grid-kgco2-per-kwh"],
    "estimate-days": ["--days"],
    "plan": ["--seq-len", "--global-batch-tokens", "--top", "--moe-imbalance"],
    "check": ["--gpus", "--claimed-cost-usd", "--claimed-days", "--seq-len", "--global-batch-tokens"],
    "compare": ["--gpus", "--seq-len", "--global-batch-tokens"],
    "compare-hardware": ["--seq-len"],
    "budget": ["--gpus", "--days"],
    "budget-model": ["--max-gpus", "--seq-len"],
    "export": [],
}
VALID_SOMETIMES = {
    # values that are legitimately valid for an option (rc 0 is fine)
    "--seed": {"0", "1e3", "8.0", "-0", "2147483648", "4294967297", "+5"},
    "--grid-kgco2-per-kwh": {"0", "1e-300", "-0"},
    "--price-per-gpu-hour": {"0", "1e-300", "-0"},
    # 2^31 tokens per step is a multiple of 4096 inside the documented [1, 1e12]
    "--global-batch-tokens": {"2147483648"},
}


def argv_of(base, override=None, drop=()):
    d = dict(base)
    if override:
        d.update(override)
    out = []
    for k, v in d.items():
        if k in drop:
            continue
        out += [k, v]
    return out


def sweep_cli():
    # help and unknown things
    run_cli("nocmd", [], "", bad=True)
    run_cli("unknown-cmd", ["frobnicate"], "frobnicate")
    for cmd in ["params", "flops", "estimate", "plan", "validate", "calibrate", "check", "compare", "budget",
                "compare-hardware", "export", "hardware", "models", "report", "serve"]:
        # `hardware` needs its command (list, show) before any option: that error comes first
        run_cli(f"{cmd}-unknown-opt", [cmd, "--frobnicate", "1"], "" if cmd == "hardware" else "--frobnicate")
        run_cli(f"{cmd}-format", [cmd, "--format", "xml"], "", bad=True)
    for key, base in BASES.items():
        cmd = CMD_OF.get(key, key)
        run_cli(f"{key}-base", [cmd] + argv_of(base), "", bad=False, timeout=60)
        opts = [o for o in base if o in NUMERIC] + EXTRA[key]
        for opt in opts:
            kind = NUMERIC[opt]
            values = INT_BAD if kind.startswith("int") else NUM_BAD + ["0"]
            for v in values:
                valid = VALID_SOMETIMES.get(opt, set())
                bad = "maybe" if v in valid else True
                # a suffix or +5 may be legitimately accepted for real-valued options
                if v in ("+5", " 5", "5 ") :
                    bad = "maybe"
                if opt in ("--days",) and v == "1e-300":
                    bad = True
                run_cli(f"{key} {opt}={v!r}", [cmd] + argv_of(base, {opt: v}), opt, bad=bad, timeout=20)
        # string options
        if "--hardware" in base:
            for v in ["nosuch", "", "H100-SXM", "h100-sxm,", ",", "../../etc/passwd", "/nonexistent.json",
                      "a" * 300, "h100-sxm\x01"]:
                bad = "maybe" if v in ("h100-sxm,",) else True
                run_cli(f"{key} --hardware={v[:20]!r}", [cmd] + argv_of(base, {"--hardware": v}), "--hardware", bad=bad)
        if "--model" in base:
            for v in ["nosuch", "", "/nonexistent.json", "/tmp", "a" * 300, "..", "."]:
                run_cli(f"{key} --model={v[:20]!r}", [cmd] + argv_of(base, {"--model": v}), "--model")
        for v in ["fp7", "", "BF16", "int8"]:
            if cmd in ("estimate", "plan", "check", "compare", "compare-hardware", "budget"):
                run_cli(f"{key} --precision={v!r}", [cmd] + argv_of(base, {"--precision": v}), "--precision")
    # plan strings
    pbase = BASES["plan"]
    for v in ["tp=0", "tp=3", "tp=8,pp=16,dp=128", "tp=2,tp=2", "foo=1", "tp", "tp=", "=1", "tp=1.5", "tp=-1",
              "tp=99999999999", "ep=3", "ep=2", "pp=33", "vpp=3,pp=2,dp=32", "schedule=zz", "zero=4", "mb=0",
              "mb=1000000", "tp=8,dp=8,cp=3", "cp=2,dp=32", "recompute=zz", "attn=zz", "tp_overlap=2",
              "tp=1,pp=1,dp=64,mb=1000", "vpp=64,pp=8,dp=8", "pp=64,dp=1", "dualpipe", "schedule=dualpipe,pp=3",
              ",,,", "tp=8 ", " tp=8", "TP=8", "tp=8,pp=1,dp=8,micro_batch=2,mb=2"]:
        run_cli(f"plan --plan={v!r}", ["plan"] + argv_of(pbase, {"--plan": v}), "--plan", bad="maybe" if v in (",,,",) else True)
        run_cli(f"estimate --plan={v!r}", ["estimate"] + argv_of(BASES["estimate-derived"], {"--plan": v}), "--plan",
                bad="maybe" if v in (",,,",) else True)
    run_cli("plan moe ep=3", ["plan", "--model", "mixtral-8x7b", "--hardware", "h100-sxm", "--gpus", "48", "--tokens",
                              "1T", "--plan", "tp=1,pp=1,dp=48,ep=3"], "--plan")
    run_cli("plan moe ep=16 > experts", ["plan", "--model", "mixtral-8x7b", "--hardware", "h100-sxm", "--gpus", "64",
                                         "--tokens", "1T", "--plan", "tp=1,pp=1,dp=64,ep=16"], "--plan")
    # batch relation checks
    for key in ("plan", "estimate-derived", "check", "compare"):
        cmd = CMD_OF.get(key, key)
        b = BASES[key]
        run_cli(f"{key} batch<seq", [cmd] + argv_of(b, {"--global-batch-tokens": "1000"}), "--global-batch-tokens")
        run_cli(f"{key} batch not multiple", [cmd] + argv_of(b, {"--global-batch-tokens": "4097000"}), "--global-batch-tokens")
        run_cli(f"{key} tokens<batch", [cmd] + argv_of(b, {"--global-batch-tokens": "4194304", "--tokens": "1000"}), "--tokens")
        run_cli(f"{key} tokens<seq", [cmd] + argv_of(b, {"--tokens": "10"}), "--tokens")
        run_cli(f"{key} seq-len huge", [cmd] + argv_of(b, {"--seq-len": "100000000"}), "--seq-len", bad="maybe")
        run_cli(f"{key} seq 4097", [cmd] + argv_of(b, {"--seq-len": "4097"}), "--seq-len", bad="maybe")
    run_cli("estimate days+gpus", ["estimate"] + argv_of(BASES["estimate-derived"], {"--days": "5"}), "--days")
    run_cli("estimate mfu+plan", ["estimate"] + argv_of(BASES["estimate"], {"--plan": "tp=8,pp=1,dp=8"}), "--plan")
    run_cli("estimate seed w/o samples", ["estimate"] + argv_of(BASES["estimate"], {"--seed": "1"}), "--seed")
    run_cli("estimate published unknown", ["estimate"] + argv_of(BASES["estimate"], {"--published": "nosuch"}), "--published")
    run_cli("estimate published empty", ["estimate"] + argv_of(BASES["estimate"], {"--published": ""}), "--published")
    # a record of another model or token count: its "error" column would compare unrelated runs
    run_cli("estimate published other model", ["estimate"] + argv_of(BASES["estimate"], {"--published": "deepseek-v3",
                                                                                           "--tokens": "14.8T"}), "--published")
    run_cli("estimate published other tokens", ["estimate"] + argv_of(BASES["estimate"], {"--published": "llama-3.1-8b"}),
            "--published")
    for opt in ("--attention", "--recompute"):
        for v in ("zz", "", "CAUSAL"):
            run_cli(f"estimate {opt}={v!r}", ["estimate"] + argv_of(BASES["estimate"], {opt: v}), opt)
            run_cli(f"flops {opt}={v!r}", ["flops", "--model", M, opt, v], opt)
    run_cli("estimate assume-family zz", ["estimate"] + argv_of(BASES["estimate"], {"--assume-family": "zz"}), "--assume-family", bad="maybe")
    run_cli("params assume-family zz", ["params", "--model", M, "--assume-family", "zz"], "--assume-family", bad="maybe")
    # counts
    cbase = {"--hardware": "h100-sxm", "--tokens": "1T", "--gpus": "64", "--mfu": "0.4"}
    for tot, act, extra, field in [("1e9", "2e9", {}, "--active-params"), ("1e8", "1e8", {}, "--total-params"),
                                   ("1e15", "1e15", {}, "--total-params"), ("100B", "5B", {"--experts": "16", "--top-k": "2"}, "--"),
                                   ("100B", "5B", {"--top-k": "200"}, "--top-k"), ("100B", "5B", {"--experts": "1"}, "--experts"),
                                   ("100B", "5B", {"--experts": "8", "--top-k": "9"}, "--top-k"),
                                   ("8B", "8B", {"--layers": "0"}, "--layers"), ("8B", "8B", {"--layers": "1024"}, "--"),
                                   ("8B", "8B", {"--experts": "8"}, "--experts"), ("8B", "", {}, "--active-params"),
                                   ("", "8B", {}, "--total-params")]:
        d = dict(cbase, **{"--total-params": tot, "--active-params": act}, **extra)
        run_cli(f"estimate counts {tot}/{act}/{extra}", ["estimate"] + argv_of(d), field)
    run_cli("estimate counts+model", ["estimate"] + argv_of(dict(BASES["estimate"], **{"--total-params": "8B", "--active-params": "8B"})), "--model")
    # export
    for v in ["zz", ""]:
        run_cli(f"export --cap={v!r}", ["export", "--cap", v], "--cap")
    run_cli("export none", ["export"], "--cap")
    run_cli("export both", ["export", "--cap", "x", "--cap-tpp", "5"], "--cap")
    # hardware
    for v in ["nosuch", "", "/nonexistent", "/tmp"]:
        run_cli(f"hardware show {v!r}", ["hardware", "show", v], "")
    run_cli("hardware zz", ["hardware", "zz"], "")
    run_cli("hardware show none", ["hardware", "show"], "")
    run_cli("hardware list extra", ["hardware", "list", "x"], "", bad=True)
    run_cli("models extra", ["models", "x"], "", bad=True)
    # validate
    run_cli("validate only zz", ["validate", "--only", "zz"], "--only")
    run_cli("validate only ,", ["validate", "--only", ","], "--only")
    run_cli("validate only empty", ["validate", "--only", ""], "--only", bad="maybe")
    run_cli("validate two", ["validate", "--vtrain", "--gemm"], "")
    # calibrate
    run_cli("calibrate out dir", ["calibrate", "--no-loo", "--out", "/tmp"], "--out")
    run_cli("calibrate out missing dir", ["calibrate", "--no-loo", "--out", "/nonexistent/x.json"], "--out")
    run_cli("calibrate out empty", ["calibrate", "--no-loo", "--out", ""], "--out")
    for v in ["zz", "", "2026-13-45", "2026-02-30", "x" * 300, "2026-01-01\nfoo"]:
        run_cli(f"calibrate date {v[:20]!r}", ["calibrate", "--no-loo", "--out", os.path.join(TMP, "cal.json"), "--date", v], "--date",
                timeout=60)
    # budget question mixing
    run_cli("budget none", ["budget", "--hardware", "h100-sxm"], "--usd")
    run_cli("budget both", ["budget", "--usd", "5M", "--gpu-hours", "1M", "--hardware", "h100-sxm"], "--")
    run_cli("budget no hw", ["budget", "--usd", "5M"], "--hardware")
    run_cli("budget usd tiny", ["budget", "--usd", "1", "--hardware", "h100-sxm"], "--usd", bad="maybe")
    run_cli("budget gpu-hours tiny", ["budget", "--gpu-hours", "1", "--hardware", "h100-sxm"], "--gpu-hours", bad="maybe")
    run_cli("budget model no days", ["budget", "--model", M, "--tokens", "1T"], "--days")
    run_cli("budget model gpus", ["budget", "--model", M, "--tokens", "1T", "--days", "5", "--gpus", "8"], "--gpus")
    run_cli("budget max-gpus w/o model", ["budget", "--usd", "5M", "--hardware", "h100-sxm", "--max-gpus", "8"], "--max-gpus")
    run_cli("budget tokens w/o model", ["budget", "--usd", "5M", "--hardware", "h100-sxm", "--tokens", "8T"], "--tokens")
    run_cli("budget seq w/o model", ["budget", "--usd", "5M", "--hardware", "h100-sxm", "--seq-len", "8"], "--seq-len")
    run_cli("budget days tiny", ["budget", "--usd", "5M", "--hardware", "h100-sxm", "--days", "1e-9"], "--days", bad="maybe")
    run_cli("budget hw list", ["budget", "--usd", "5M", "--hardware", "h100-sxm,b200"], "--hardware")
    # report
    rbase = ["report", "--model", M, "--hardware", "h100-sxm", "--gpus", "64", "--tokens", "1T", "--no-validation"]
    run_cli("report no out", rbase, "--out")
    run_cli("report missing model file", ["report", "--model", "/nonexistent.json"] + rbase[3:] + ["--out", os.path.join(TMP, "r.html")],
            "--model")
    run_cli("report out dir", rbase + ["--out", "/tmp"], "--out", timeout=60)
    run_cli("report out missing", rbase + ["--out", "/nonexistent/x.html"], "--out", timeout=60)
    for opt, v in [("--samples", "0"), ("--samples", "nan"), ("--samples", "1e9"), ("--pue", "0.5"), ("--pue", "nan"),
                   ("--price-per-gpu-hour", "-1"), ("--grid-kgco2-per-kwh", "inf"), ("--gpus", "0"), ("--tokens", "nan"),
                   ("--seq-len", "0"), ("--compare-hardware", "nosuch"), ("--compare-hardware", ""),
                   ("--compare-hardware", ","), ("--hardware", "nosuch"), ("--precision", "zz")]:
        run_cli(f"report {opt}={v!r}", rbase + ["--out", os.path.join(TMP, "r.html"), opt, v], opt, timeout=60)
    # serve
    for v in ["-1", "65536", "abc", "", "99999999999999999999", "1.5"]:
        run_cli(f"serve --port={v!r}", ["serve", "--port", v], "--port", timeout=3)
    run_cli("serve --host bad", ["serve", "--host", "not a host", "--port", "0"], "--host", timeout=3)
    run_cli("serve --host empty", ["serve", "--host", "", "--port", "0"], "--host", timeout=3)
    run_cli("serve --host 999.1.1.1", ["serve", "--host", "999.1.1.1", "--port", "0"], "--host", timeout=3)
    # option syntax
    run_cli("dup option", ["params", "--model", M, "--model", M], "--model", bad="maybe")
    run_cli("missing value", ["params", "--model"], "--model")
    run_cli("flag with value", ["flops", "--model", M, "--no-mtp=1"], "--no-mtp", bad="maybe")
    run_cli("positional", ["params", M], "", bad=True)
    model_files()
    hardware_files()


if __name__ == "__main__":
    if CLI:
        sweep_cli()
    if WEB:
        sweep_web()
    print(f"\n{common.count} cases, {len(common.failures)} flagged")
    if common.maybes:
        print("accepted (check these are valid):")
        for n, a in common.maybes:
            print(f"  ok  {n}")
    sys.exit(1 if common.failures else 0)

