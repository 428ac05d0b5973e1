#!/usr/bin/env python3
"""Folds `perf script -F comm,pid,tid,time,ip,sym,dso` output into one line per distinct stack
("process;thread;root;...;leaf count"), for flame graphs and for summing where the time went (bench/monitoring.sh
PROFILE=1). The process is named "app" (--app PID), "postgres" for the postmaster's children (--postmaster PID), else by
its command. Frames are cut to their symbol (no offsets, no arguments, no JIT tier)."""
import argparse
import os
import re
import sys
from collections import Counter

ap = argparse.ArgumentParser()
ap.add_argument("--app", type=int, default=0)
ap.add_argument("--postmaster", type=int, default=0)
ap.add_argument("--pg-pids", help="a file of PostgreSQL child pids seen during the run, one a line")
args = ap.parse_args()
pg_pids = {args.postmaster}
if args.pg_pids and os.path.exists(args.pg_pids):
    with open(args.pg_pids) as f:
        pg_pids |= {int(l) for l in f if l.strip().isdigit()}

parents = {}
def parent(pid):
    if pid not in parents:
        try:
            with open(f"/proc/{pid}/stat") as f:
                parents[pid] = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            parents[pid] = -1
    return parents[pid]

def process(pid, comm):
    if pid == args.app:
        return "app"
    if pid in pg_pids or (args.postmaster and parent(pid) == args.postmaster):
        return "postgres"
    if comm.startswith("postgres"):
        return "postgres(other)"
    if pid == 0:
        return "idle"
    return comm

stacks = Counter()
head = None
frames = []

def clean(sym):
    sym = re.sub(r"\+0x[0-9a-f]+$", "", sym)
    sym = re.sub(r"\[(OptimizedTier1|Optimized|Tier0|Tier1|PreJIT|QuickJitted|OSR|Instrumented)\]", "", sym)
    sym = re.sub(r"\(.*\)$", "", sym.strip())
    return sym.replace(";", ":").strip() or "?"

def flush():
    if head is not None and frames:
        stacks[";".join(head + list(reversed(frames)))] += 1

for line in sys.stdin:
    line = line.rstrip("\n")
    if not line.strip():
        flush()
        head, frames = None, []
        continue
    if not line.startswith((" ", "\t")):
        flush()
        frames = []
        m = re.match(r"^(.*?)\s+(\d+)/(\d+)\s", line)
        if not m:
            head = None
            continue
        comm, pid = m.group(1).strip(), int(m.group(2))
        thread = re.sub(r"[0-9]+$", "#", comm).replace(";", ":").replace(" ", "_")
        head = [process(pid, comm), thread]
        continue
    parts = line.strip().split(None, 1)
    if len(parts) < 2:
        continue
    sym = parts[1]
    module = re.search(r"\(([^()]*)\)$", sym)
    sym = re.sub(r"\s*\([^()]*\)$", "", sym)
    if sym == "[unknown]" and module:
        sym = "[" + os.path.basename(module.group(1)) + "]"
    frames.append(clean(sym))
flush()
for stack, n in stacks.most_common():
    print(f"{stack} {n}")
