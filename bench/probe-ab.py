#!/usr/bin/env python3
"""Interleaved A/B of verify's probes (issue 17, speed19): each probe of two built checkouts started as
verify starts it (`node SCRIPT ARGS`; the CommonJS bundle dist/bundle/NAME.cjs where the checkout has one,
else the ES module tsc wrote), and bare `node -e 0`; medians over ROUNDS rounds (the order reversed every
other round) of CPU time (user+sys from wait4), and in how many rounds B used less. The probes answer at
once: connects to a closed port of 127.0.0.1, a DNS question to 127.0.0.1, a capture refused before
tcpdump; what is measured is their start. No root needed; without NODE_EXTRA_CA_CERTS.
usage: python3 bench/probe-ab.py 40 /work/main ."""
import json, os, sys, statistics, subprocess
rounds = int(sys.argv[1]); a, b = sys.argv[2], sys.argv[3]
env = {k: v for k, v in os.environ.items() if k != 'NODE_EXTRA_CA_CERTS'}
tcp = ['127.0.0.1', '1', '2000']
jobs = [{'probe': 'tcp-probe', 'args': tcp}, {'probe': 'tcp-probe', 'args': ['127.0.0.1', '2', '2000']}]
probes = {
    'probe-batch (2 tcp)': ('verify', 'probe-batch', [json.dumps(jobs)]),
    'probe-batch (http+tcp)': ('verify', 'probe-batch', [json.dumps([{'probe': 'http-probe', 'args': ['http://127.0.0.1:1/', '1', '500']}, jobs[0]])]),
    'tcp-probe': ('verify', 'tcp-probe', tcp),
    'http-probe': ('verify', 'http-probe', ['http://127.0.0.1:1/', '1', '500']),
    'dns-probe': ('verify', 'dns-probe', ['127.0.0.1', 'x.test', 'A', '300']),
    'capture-probe': ('exec', 'capture-probe', [json.dumps({'ifname': '', 'tcpdump': ['tcpdump'], 'trigger': ['true'], 'triggerTimeoutMs': 1000, 'lingerMs': 1})]),
}
def script(root, folder, name):
    bundled = f'{root}/dist/bundle/{name}.cjs'
    return bundled if os.path.exists(bundled) else f'{root}/dist/{folder}/{name}.js'
def cpu(argv):
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0: sys.exit(f'{argv} exited {os.waitstatus_to_exitcode(status)}')
    return (ru.ru_utime + ru.ru_stime) * 1000
runs = [('node -e 0', '', ['node', '-e', '0'])] + [(n, k, ['node', script(d, f, s), *args]) for n, (f, s, args) in probes.items() for k, d in (('A', a), ('B', b))]
res = {(n, k): [] for n, k, _ in runs}
for r in range(rounds + 1):
    for n, k, argv in (runs if r % 2 == 0 else runs[::-1]):
        t = cpu(argv)
        if r > 0: res[(n, k)].append(t)
print(f'medians of {rounds} rounds, CPU ms, load {" ".join(open("/proc/loadavg").read().split()[:3])}; A={a} B={b}')
print(f'  node -e 0: {statistics.median(res[("node -e 0", "")]):.1f}')
for n in probes:
    lower = sum(x < y for x, y in zip(res[(n, 'B')], res[(n, 'A')]))
    print(f'  {n:24s} A {statistics.median(res[(n, "A")]):6.1f}  B {statistics.median(res[(n, "B")]):6.1f}  B lower in {lower}/{rounds}')
