"""Shared state of the bad-input sweep (scripts/bad-input-sweep.py): the build under test,
the scratch directory, the tallies, and run_cli, which runs one case and flags what slips through."""
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

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
args = [a for a in sys.argv[1:] if not a.startswith("--")]
BUILD = args[0] if args else os.path.join(ROOT, "build")
BIN = os.path.join(BUILD, "estimator", "traincost")
ONLY = None
if "--only" in sys.argv:
    ONLY = sys.argv[sys.argv.index("--only") + 1]
WEB = "--web" in sys.argv or "--all" in sys.argv
CLI = "--web" not in sys.argv or "--all" in sys.argv
TMP = tempfile.mkdtemp(prefix="traincost-sweep-")
NAN_RE = re.compile(r"(?<![a-z_])(-?nan|-?inf|infinity)(?![a-z_])", re.I)

M = "llama-3.1-8b"  # the model most cases run on

# Accepted by design (the sweep lists them instead of flagging them):
#   budget --days 1e-300 answers with the 2^20-GPU cap and a note saying what the deadline needs;
#   compare-hardware --days 1e-300 names the GPUs it would need (test_hwcompare.cpp);
#   a traincost.model.v1 spec may leave out norm (rmsnorm) and ffn.activation (swiglu) (models/README.md);
#   an HF config may leave out num_key_value_heads (= heads), give any head_dim, and carry
#   fields the counts never read (rope_theta, max_position_embeddings); an unknown model_type with
#   the standard keys is read by the generic dense reader with a warning.
BY_DESIGN = ("budget --days='1e-300'", "budget-model --days='1e-300'", "spec ffn.activation=None", "spec norm=None",
             "spec ffn.activation=missing", "spec norm=missing", "spec max_pos=", "num_key_value_heads=missing",
             "head_dim=7", "rope_theta=", "mixtral max_position_embeddings=", "model_type=zz", "model_type=:",
             "plan --plan='vpp=3,pp=2,dp=32'", "estimate --plan='vpp=3,pp=2,dp=32'", "plan --plan='cp=2,dp=32'",
             "estimate --plan='cp=2,dp=32'")

failures = []
maybes = []
count = 0


def flag(name, why, detail=""):
    failures.append((name, why, detail))
    print(f"FLAG  {name}: {why}  {detail[:300]!r}")


def scratch_data_dir():
    """A copy of the data directory: calibrate writes constants/calibrated.json there by default."""
    d = os.path.join(TMP, "data")
    if not os.path.isdir(d):
        import shutil
        for sub in ("constants", "models", "hwprofiles", "validation"):
            shutil.copytree(os.path.join(ROOT, sub), os.path.join(d, sub))
    return d


def run_cli(name, argv, field, bad=True, timeout=10):
    """bad: True (must be refused naming field), 'maybe' (may be valid)."""
    global count
    if ONLY and ONLY not in name:
        return
    count += 1
    if bad is True and any(k in name for k in BY_DESIGN):
        bad = "maybe"
    env = dict(os.environ)
    if argv and argv[0] in ("calibrate", "report"):  # never let a sweep rewrite the real data files
        env["TRAINCOST_DATA_DIR"] = scratch_data_dir()
    try:
        p = subprocess.run([BIN] + argv, capture_output=True, text=True, timeout=timeout, errors="replace", env=env)
    except subprocess.TimeoutExpired:
        flag(name, "timeout", " ".join(argv))
        return
    rc, out, err = p.returncode, p.stdout, p.stderr
    if rc < 0 or rc >= 128:
        flag(name, f"signal/crash rc={rc}", err[-300:])
        return
    if rc == 0 and NAN_RE.search(out + err):
        flag(name, "nan/inf in output", NAN_RE.search(out + err).group(0) + " :: " + " ".join(argv))
        return
    if bad is True:
        if rc == 0:
            flag(name, "accepted bad input (rc 0)", " ".join(argv) + " :: " + (out[:200] + err[:200]))
            return
        if rc not in (1, 2):
            flag(name, f"rc={rc}", err[-300:])
            return
        if field and field not in err:
            flag(name, f"error does not name {field}", err.strip()[-300:])
            return
        if "internal error" in err or "terminate" in err or "what():" in err or "std::" in err or "basic_string" in err or "json.exception" in err:
            flag(name, "internal exception text", err.strip()[-300:])
    elif bad == "maybe":
        if rc == 0:
            maybes.append((name, " ".join(argv)))
        elif rc not in (1, 2):
            flag(name, f"rc={rc}", err[-300:])
        elif field and field not in err and rc == 2:
            flag(name, f"error does not name {field}", err.strip()[-300:])
    else:  # a good input: must succeed
        if rc != 0:
            flag(name, f"good input refused rc={rc}", err.strip()[-300:])


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(text)
    return path
