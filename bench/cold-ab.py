#!/usr/bin/env python3
"""Interleaved A/B of one netlab command from two built checkouts, for cold starts (issue 17): the
medians over ROUNDS rounds (A and B alternate which goes first) of wall time and CPU time (user+sys
of the process and its children, from wait4), and bare `node -e 0` in the same rounds; without
NODE_EXTRA_CA_CERTS, as a user runs netlab. CPU time holds on a loaded machine, wall time does not.
usage: python3 bench/cold-ab.py 30 /work/main . -- plan /tmp/star10.yaml"""
import os, sys, time, statistics, subprocess
rounds = int(sys.argv[1]); a, b = sys.argv[2], sys.argv[3]; args = sys.argv[sys.argv.index('--') + 1:]
env = {k: v for k, v in os.environ.items() if k != 'NODE_EXTRA_CA_CERTS'}
def run(argv):
    t = time.perf_counter()
    # standard output a pipe, read to the end, as bench/run.mjs and a script reading netlab see it
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    w = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0: sys.exit(f'{argv} exited {p.returncode}')
    return w * 1000, (ru.ru_utime + ru.ru_stime) * 1000
res = {'A': [], 'B': [], 'node': []}
for r in range(rounds):
    order = [('A', a), ('B', b)] if r % 2 == 0 else [('B', b), ('A', a)]
    for k, d in order: res[k].append(run(['node', f'{d}/bin/netlab', *args]))
    res['node'].append(run(['node', '-e', '0']))
load = open('/proc/loadavg').read().split()[:3]
med = lambda k, i: statistics.median(x[i] for x in res[k])
print(f"{' '.join(args)}: medians of {rounds} interleaved rounds, load {' '.join(load)}")
for k in ('A', 'B', 'node'):
    print(f"  {k:5s} wall {med(k,0):6.1f} ms  cpu {med(k,1):6.1f} ms  (wall/node {med(k,0)/med('node',0):.2f}x, cpu/node {med(k,1)/med('node',1):.2f}x)")
print(f"  B/A wall {med('B',0)/med('A',0):.3f}  cpu {med('B',1)/med('A',1):.3f}")
