#!/usr/bin/env python3
"""Interleaved A/B of a lab's whole cycle from two built checkouts (issue 17, speed15): up (a spec cache
hit after the warm-up round), verify, status, down of each LAB, as root; CPU time of each command and
every process it waited for (getrusage of children), medians over ROUNDS rounds (A and B alternate
which goes first), and in how many rounds B used less; without NODE_EXTRA_CA_CERTS, as a user runs netlab.
usage: sudo python3 bench/lab-cycle-ab.py 20 /work/main . red-blue-bridge pod-network-vxlan"""
import os, resource, statistics, subprocess, sys
rounds, a, b = int(sys.argv[1]), sys.argv[2], sys.argv[3]
labs = sys.argv[4:] or ['red-blue-bridge']
env = {k: v for k, v in os.environ.items() if k != 'NODE_EXTRA_CA_CERTS'}
cmds = ('up', 'verify', 'status', 'down')
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
res = {}
for r in range(rounds + 1):  # round 0 warms the spec cache and the page cache: not counted
    for key, tree in ([('A', a), ('B', b)] if r % 2 else [('B', b), ('A', a)]):
        for n, lab in enumerate(labs):
            for cmd in cmds:
                before = cpu()
                p = subprocess.run(['node', f'{tree}/bin/netlab', cmd, lab, '--prefix', f'ab{n}-'], env=env, capture_output=True, text=True)
                used = (cpu() - before) * 1000
                if p.returncode != 0: sys.exit(f'{tree}: netlab {cmd} {lab} exited {p.returncode}: {p.stderr[-500:]}')
                if r: res.setdefault((key, lab, cmd), []).append(used)
print(f"CPU medians of {rounds} interleaved rounds, A={a} B={b}, load {' '.join(open('/proc/loadavg').read().split()[:3])}")
for lab in labs:
    for cmd in cmds:
        ma, mb = (statistics.median(res[(k, lab, cmd)]) for k in ('A', 'B'))
        lower = sum(y < x for x, y in zip(res[('A', lab, cmd)], res[('B', lab, cmd)]))
        print(f"  {lab:20s} {cmd:7s} A {ma:6.1f} ms  B {mb:6.1f} ms  B/A {mb / ma:.3f}  B lower in {lower}/{rounds}")
