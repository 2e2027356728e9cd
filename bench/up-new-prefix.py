#!/usr/bin/env python3
"""CPU of `netlab up LAB --prefix P` of a text whose validated spec is cached (issue 17): what every
integration test pays, as each uses a fresh prefix. Per lab and checkout, two kinds of up, each followed
by a down with the same prefix: `new`, a prefix never used before (the plan cache misses under it), and
`hit`, the same prefix every round (the compiled plan is read back). Interleaved round by round (which
checkout goes first alternates); medians of user+sys of netlab and its children (wait4, as
/usr/bin/time -f "%U %S"); without NODE_EXTRA_CA_CERTS. One warm-up up+down per lab and checkout caches
the spec and the `hit` plan first.
usage (root): python3 bench/up-new-prefix.py ROUNDS CHECKOUT_A CHECKOUT_B LAB...
   e.g. python3 bench/up-new-prefix.py 20 ../base . red-blue-bridge service-dns"""
import os, sys, statistics, subprocess, tempfile
rounds = int(sys.argv[1]); checkouts = {'A': sys.argv[2], 'B': sys.argv[3]}; labs = sys.argv[4:]
env = {k: v for k, v in os.environ.items() if k != 'NODE_EXTRA_CA_CERTS'}
env['NETLAB_STATE_DIR'] = tempfile.mkdtemp(prefix='netlab-up-new-prefix-')
tag = f'{os.getpid() % 4096:03x}'
count = 0
def fresh(k):
    global count
    count += 1
    return f'n{tag}{k.lower()}{count:03x}-'
def run(k, cmd, lab, prefix):
    p = subprocess.Popen(['node', f'{checkouts[k]}/bin/netlab', cmd, lab, '--prefix', prefix], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0: sys.exit(f'{checkouts[k]} {cmd} {lab} --prefix {prefix} exited {os.waitstatus_to_exitcode(status)}: {err.decode()}')
    return (ru.ru_utime + ru.ru_stime) * 1000
hit = {k: f'h{tag}{k.lower()}-' for k in checkouts}
res = {}
for lab in labs:
    for k in checkouts: run(k, 'up', lab, hit[k]); run(k, 'down', lab, hit[k])
for r in range(rounds):
    for lab in labs:
        for k in (['A', 'B'] if r % 2 == 0 else ['B', 'A']):
            for kind in ('new', 'hit'):
                prefix = fresh(k) if kind == 'new' else hit[k]
                res.setdefault((lab, k, kind, 'up'), []).append(run(k, 'up', lab, prefix))
                res.setdefault((lab, k, kind, 'down'), []).append(run(k, 'down', lab, prefix))
load = ' '.join(open('/proc/loadavg').read().split()[:3])
print(f'CPU ms (user+sys), medians of {rounds} interleaved rounds, load {load}; A={checkouts["A"]} B={checkouts["B"]}')
for lab in labs:
    for cmd in ('up', 'down'):
        for kind in ('new', 'hit'):
            a, b = (statistics.median(res[(lab, k, kind, cmd)]) for k in 'AB')
            print(f'  {lab:22s} {cmd:4s} {kind:3s}  A {a:6.1f}  B {b:6.1f}  B/A {b / a:.3f}')
try: os.rmdir(env['NETLAB_STATE_DIR'])  # empty after every down
except OSError: print(f"left: {env['NETLAB_STATE_DIR']}")
