#!/usr/bin/env python3
"""Sums folded stacks (bench/fold-stacks.py) for a quick reading: by process and thread, the frames with the most
inclusive time, and the leaves with the most self time. Usage: perf-top.py FILE [--match TEXT] [--process NAME] [-n 40]"""
import argparse
from collections import Counter

ap = argparse.ArgumentParser()
ap.add_argument("file")
ap.add_argument("--match", default="", help="only stacks with a frame containing this text")
ap.add_argument("--process", default="", help="only this process (app, postgres, …)")
ap.add_argument("-n", type=int, default=40)
a = ap.parse_args()

total = 0
by_thread, inclusive, leaf = Counter(), Counter(), Counter()
for line in open(a.file):
    stack, n = line.rstrip("\n").rsplit(" ", 1)
    n = int(n)
    frames = stack.split(";")
    if a.process and frames[0] != a.process:
        continue
    if a.match and not any(a.match in f for f in frames):
        continue
    total += n
    by_thread[frames[0] + ";" + frames[1]] += n
    for f in set(frames[2:]):
        inclusive[f] += n
    leaf[frames[-1]] += n

print(f"{total} samples")
print("-- by process;thread")
for k, v in by_thread.most_common(15):
    print(f"{100 * v / total:6.1f}%  {k}")
print("-- inclusive")
for k, v in inclusive.most_common(a.n):
    print(f"{100 * v / total:6.1f}%  {k[:160]}")
print("-- self")
for k, v in leaf.most_common(a.n):
    print(f"{100 * v / total:6.1f}%  {k[:160]}")
