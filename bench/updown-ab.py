#!/usr/bin/env python3
"""Interleaved A/B of `netlab up LAB` (a cached plan) and `netlab down LAB` from two built checkouts
(issue 17): each round runs an up+down pair of A and of B (which goes first alternates), and the medians
over ROUNDS of wall time and CPU time (user+sys of the process and its children, from wait4) of each
command; without NODE_EXTRA_CA_CERTS. One warm-up pair per checkout fills its plan cache first.
usage (root): python3 bench/updown-ab.py 30 /work/main . labs/red-blue-bridge.yaml"""
import os, sys, time, statistics, subprocess
rounds = int(sys.argv[1]); a, b, lab = sys.argv[2], sys.argv[3], sys.argv[4]
env = {k: v for k, v in os.environ.items() if k != 'NODE_EXTRA_CA_CERTS'}
prefix = {'A': f'ab{os.getpid() % 1000}a-', 'B': f'ab{os.getpid() % 1000}b-'}
def run(d, k, cmd):
    t = time.perf_counter()
    p = subprocess.Popen(['node', f'{d}/bin/netlab', cmd, lab, '--prefix', prefix[k]], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    w = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0: sys.exit(f'{d} {cmd} exited {os.waitstatus_to_exitcode(status)}')
    return w * 1000, (ru.ru_utime + ru.ru_stime) * 1000
res = {(k, c): [] for k in 'AB' for c in ('up', 'down')}
for k, d in (('A', a), ('B', b)): run(d, k, 'up'); run(d, k, 'down')
# which way each checkout's up reads its plan from now on (NETLAB_TRACE's first `load:` line): both must take
# the same one, or the rounds compare two paths (a rebuilt checkout's cache is empty, so its warm-up up keeps
# the plan for this prefix, while a checkout that read the file before respells a template every round)
for k, d in (('A', a), ('B', b)):
    p = subprocess.run(['node', f'{d}/bin/netlab', 'up', lab, '--prefix', prefix[k]], capture_output=True, text=True, env={**env, 'NETLAB_TRACE': '1'})
    subprocess.run(['node', f'{d}/bin/netlab', 'down', lab, '--prefix', prefix[k]], capture_output=True, env=env)
    print(f'{k} reads its plan: ' + next((l.split('  ')[-1] for l in p.stderr.splitlines() if ' load: ' in l), '(no load line)'))
for r in range(rounds):
    for k, d in ([('A', a), ('B', b)] if r % 2 == 0 else [('B', b), ('A', a)]):
        for c in ('up', 'down'): res[(k, c)].append(run(d, k, c))
load = open('/proc/loadavg').read().split()[:3]
med = lambda k, c, i: statistics.median(x[i] for x in res[(k, c)])
print(f'{lab}: medians of {rounds} interleaved rounds, load {" ".join(load)}; A={a} B={b}')
for c in ('up', 'down'):
    for k in 'AB': print(f'  {c:4s} {k} wall {med(k, c, 0):7.1f} ms  cpu {med(k, c, 1):7.1f} ms')
    print(f'  {c:4s} B/A wall {med("B", c, 0) / med("A", c, 0):.3f}  cpu {med("B", c, 1) / med("A", c, 1):.3f}')
