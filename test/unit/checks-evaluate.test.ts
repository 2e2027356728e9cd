import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/exec/executor.js';
import { evaluateHttp, evaluateNat, evaluatePing, evaluateTcp } from '../../src/verify/eval-reach.js';
import { evaluateDns } from '../../src/verify/eval-dns.js';
import { evaluateFirewall, evaluateInterface, evaluateNeighbor, evaluateRoute, evaluateSysctl, ruleMatches } from '../../src/verify/eval-state.js';
import { evaluateCapture } from '../../src/verify/eval-capture.js';
import { skipReason } from '../../src/verify/run-checks.js';
import { junitXml } from '../../src/cli/report/verify-junit.js';
import { matchRule } from '../../src/verify/diagnose/rule-match.js';
import type { PingCheck } from '../../src/model/types.js';

// Outputs captured from the real tools (iputils ping, iproute2 6.1 -j, iptables-save 1.8.9 nft, getent, tcpdump).
const run = (stdout: string, exitCode = 0, stderr = ''): RunResult => ({ stdout, stderr, exitCode, durationMs: 1 });

describe('ping', () => {
  it('tells reply, no-reply and unreachable apart by exit code and text', () => {
    expect(evaluatePing({ expect: 'reply' }, run('1 packets transmitted, 1 received, 0% packet loss, time 0ms\n'))).toMatchObject({ outcome: 'reply', pass: true });
    expect(evaluatePing({ expect: 'reply' }, run('1 packets transmitted, 0 received, 100% packet loss, time 0ms\n', 1))).toMatchObject({ outcome: 'no-reply', pass: false });
    expect(evaluatePing({ expect: 'unreachable' }, run('', 2, 'ping: connect: Network is unreachable\n'))).toMatchObject({ outcome: 'unreachable', pass: true });
  });
});

describe('tcp', () => {
  it('reads the probe line', () => {
    expect(evaluateTcp({ expect: 'refused' }, run('{"outcome":"refused","code":"ECONNREFUSED","ms":3}\n'))).toMatchObject({ outcome: 'refused', pass: true });
    expect(evaluateTcp({ expect: 'connected' }, run('{"outcome":"timeout","ms":2001}\n'))).toMatchObject({ outcome: 'timeout', pass: false });
    expect(evaluateTcp({ expect: 'connected' }, run('', 1, 'boom'))).toMatchObject({ outcome: 'error', pass: false });
  });
});

describe('http', () => {
  const answer = (node: string, body = `hello from ${node}\n`) => JSON.stringify({ outcome: 'response', status: 200, body, node, source: '10.0.0.1', local: '10.0.0.1', ms: 2 });
  it('checks status, body substring and regex', () => {
    const one = run(`${answer('blue')}\n`);
    expect(evaluateHttp({ expect: 'response', status: 200, body: 'hello from blue', requests: 1 }, one).pass).toBe(true);
    // the body ends with \n: `$` anchors before the final newline, as a learner reading the report expects
    expect(evaluateHttp({ expect: 'response', status: 200, match: '^hello from (red|blue)$', requests: 1 }, one).pass).toBe(true);
    expect(evaluateHttp({ expect: 'response', status: 200, match: '^hello from blue\\n$', requests: 1 }, one).pass).toBe(false);
    expect(evaluateHttp({ expect: 'response', status: 200, match: '^hello from (red|blue)\\s*$', requests: 1 }, one).pass).toBe(true);
    const wrong = evaluateHttp({ expect: 'response', status: 404, requests: 1 }, one);
    expect(wrong).toMatchObject({ pass: false });
    expect(wrong.detail).toContain('status 200, not 404');
  });
  it('a failed match shows the body as received, final newline and all', () => {
    const one = run(`${answer('blue', 'hello from blue\n\n')}\n`);
    const r = evaluateHttp({ expect: 'response', status: 200, match: '^hello from blue$', requests: 1 }, one);
    expect(r.pass).toBe(false);
    expect(r.detail).toContain('body as received "hello from blue\\n\\n" does not match');
    const c = evaluateHttp({ expect: 'response', status: 200, body: 'bye', requests: 1 }, one);
    expect(c.detail).toContain('body as received "hello from blue\\n\\n" does not contain "bye"');
  });
  it('counts distinct responders for load balancing', () => {
    const spread = run([answer('nginx-a'), answer('nginx-b'), answer('nginx-a')].join('\n'));
    expect(evaluateHttp({ expect: 'response', status: 200, requests: 3, responders: 2 }, spread)).toMatchObject({ pass: true, data: { responders: { 'nginx-a': 2, 'nginx-b': 1 } } });
    const single = run([answer('nginx-a'), answer('nginx-a')].join('\n'));
    expect(evaluateHttp({ expect: 'response', status: 200, requests: 2, responders: 2 }, single).detail).toContain('1 distinct responder, expected at least 2');
  });
  it('fails when some requests time out, and passes an expected failure', () => {
    const mixed = run([answer('a'), JSON.stringify({ outcome: 'timeout', code: 'ETIMEDOUT', ms: 2000 })].join('\n'));
    expect(evaluateHttp({ expect: 'response', requests: 2 }, mixed)).toMatchObject({ pass: false, outcome: 'response' });
    expect(evaluateHttp({ expect: 'refused', requests: 1 }, run('{"outcome":"refused","code":"ECONNREFUSED","ms":1}'))).toMatchObject({ outcome: 'refused', pass: true });
  });
});

describe('nat', () => {
  const seen = (source: string, local: string) => run(JSON.stringify({ outcome: 'response', status: 200, body: `${source}\n`, source, local, ms: 1 }));
  it('compares the source the far end saw with an address, "original" or "translated"', () => {
    expect(evaluateNat({ expect: '192.168.1.2' }, seen('192.168.1.2', '192.168.15.2')).pass).toBe(true);
    expect(evaluateNat({ expect: 'translated' }, seen('192.168.1.2', '192.168.15.2')).pass).toBe(true);
    expect(evaluateNat({ expect: 'original' }, seen('192.168.1.2', '192.168.15.2'))).toMatchObject({ pass: false, outcome: '192.168.1.2' });
    expect(evaluateNat({ expect: 'original' }, seen('10.244.1.2', '10.244.1.2')).pass).toBe(true);
  });
});

describe('dns', () => {
  it('reads the server probe (dig-like)', () => {
    expect(evaluateDns({ expect: 'resolved', addresses: ['192.168.1.11'], server: '192.168.1.100', query: 'db' }, run('{"outcome":"resolved","addresses":["192.168.1.11"],"ms":2}'))).toMatchObject({ pass: true });
    expect(evaluateDns({ expect: 'resolved', addresses: ['10.244.1.2', '10.244.2.2'], server: '10.96.0.10', query: 'h' }, run('{"outcome":"resolved","addresses":["10.244.2.2"],"ms":2}'))).toMatchObject({ pass: false });
    expect(evaluateDns({ expect: 'nxdomain', server: '192.168.1.100', query: 'nope' }, run('{"outcome":"nxdomain","code":"ENOTFOUND","ms":2}'))).toMatchObject({ pass: true, outcome: 'nxdomain' });
    expect(evaluateDns({ expect: 'resolved', cname: 'web-server', server: '192.168.1.100', query: 'eat.web-server' }, run('{"outcome":"resolved","cname":"web-server","ms":2}')).pass).toBe(true);
  });
  it('reads getent ahosts (hosts file, resolv.conf, search list)', () => {
    const out = '192.168.1.13    STREAM web-1.mycompany.com\n192.168.1.13    DGRAM  \n192.168.1.13    RAW    \n';
    expect(evaluateDns({ expect: 'resolved', addresses: ['192.168.1.13'], query: 'web-1' }, run(out))).toMatchObject({ pass: true, data: { cname: 'web-1.mycompany.com' } });
    expect(evaluateDns({ expect: 'not-found', query: 'payroll' }, run('', 2))).toMatchObject({ pass: true, outcome: 'not-found' });
    expect(evaluateDns({ expect: 'resolved', addresses: ['198.51.100.108'], query: 'test' }, run('192.168.1.115   STREAM test\n'))).toMatchObject({ pass: false });
  });
});

describe('route', () => {
  it('reads ip -j route get', () => {
    const r = run('[{"dst":"192.168.1.3","gateway":"192.168.15.5","dev":"veth-blue","prefsrc":"192.168.15.2","flags":[],"uid":0,"cache":[]}]\n');
    expect(evaluateRoute({ expect: 'routed', via: '192.168.15.5', dev: 'veth-blue' }, r).pass).toBe(true);
    expect(evaluateRoute({ expect: 'routed', via: '192.168.15.9' }, r)).toMatchObject({ pass: false });
    expect(evaluateRoute({ expect: 'unreachable' }, run('', 2, 'RTNETLINK answers: Network is unreachable\n'))).toMatchObject({ pass: true, outcome: 'unreachable' });
  });
});

describe('state facts', () => {
  const link = '[{"ifindex":5,"ifname":"veth-gray-br","flags":["BROADCAST","MULTICAST"],"mtu":1500,"master":"v-net-0","operstate":"DOWN","addr_info":[]}]';
  it('interface: up/down, address, mtu, master, absence', () => {
    expect(evaluateInterface({ ifname: 'veth-gray-br', exists: true, up: true }, run(link))).toMatchObject({ pass: false, outcome: 'down' });
    expect(evaluateInterface({ ifname: 'veth-gray-br', exists: true, up: false, master: 'v-net-0', mtu: 1500 }, run(link)).pass).toBe(true);
    expect(evaluateInterface({ ifname: 'eth9', exists: false }, run('', 1, 'Device "eth9" does not exist.\n'))).toMatchObject({ pass: true, outcome: 'absent' });
  });
  it('sysctl: value and absence', () => {
    expect(evaluateSysctl({ key: 'net.ipv4.ip_forward', value: '1' }, run('0\n'))).toMatchObject({ pass: false, outcome: '0' });
    expect(evaluateSysctl({ key: 'net.bridge.bridge-nf-call-iptables', value: '1' }, run('', 255, 'sysctl: cannot stat /proc/sys/net/bridge/bridge-nf-call-iptables: No such file or directory\n')).outcome).toBe('absent');
  });
  it('firewall: policy, chain and rule from iptables-save', () => {
    const save = '# Generated by iptables-save v1.8.9\n*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n-A POSTROUTING -s 192.168.15.0/24 ! -o v-net-0 -j MASQUERADE\n-A PREROUTING -d 192.168.1.2/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.15.2:80\nCOMMIT\n';
    expect(evaluateFirewall({ table: 'nat', chain: 'POSTROUTING', exists: true, rule: ['-s', '192.168.15.0/24', '-j', 'MASQUERADE'] }, run(save)).pass).toBe(true);
    expect(evaluateFirewall({ table: 'nat', chain: 'PREROUTING', exists: true, rule: ['-d', '192.168.1.2', '-p', 'tcp', '--dport', '80', '-j', 'DNAT'] }, run(save)).pass).toBe(true);
    expect(evaluateFirewall({ table: 'nat', chain: 'DOCKER', exists: true }, run(save)).pass).toBe(true);
    expect(evaluateFirewall({ table: 'nat', chain: 'KUBE-SERVICES', exists: false }, run(save)).pass).toBe(true);
    expect(evaluateFirewall({ table: 'filter', chain: 'FORWARD', exists: true, policy: 'DROP' }, run(''))).toMatchObject({ pass: false, outcome: 'ACCEPT' });
    expect(ruleMatches(['-s', '10.0.0.1/32', '-j', 'ACCEPT'], ['-s', '10.0.0.1', '-j', 'ACCEPT'])).toBe(true);
  });
  it('neighbor: learned, incomplete, absent', () => {
    expect(evaluateNeighbor({ address: '192.168.15.4', state: 'learned' }, run('[{"dst":"192.168.15.4","dev":"v-net-0","state":["INCOMPLETE"]}]'))).toMatchObject({ pass: false, outcome: 'incomplete' });
    expect(evaluateNeighbor({ address: '192.168.15.4', state: 'learned' }, run('[{"dst":"192.168.15.4","dev":"v-net-0","lladdr":"aa:bb:cc:dd:ee:ff","state":["STALE"]}]')).pass).toBe(true);
    expect(evaluateNeighbor({ address: '192.168.15.4', state: 'absent' }, run('')).pass).toBe(true);
  });
});

describe('capture', () => {
  const trigger: PingCheck = { kind: 'ping', index: 0, name: 't', from: 'blue', fromNs: 'blue', to: '192.168.1.3', expect: 'reply', count: 1, timeout: 1 };
  const probe = (packets: string[]) => run(JSON.stringify({ listening: true, packets, tcpdump: { exitCode: 0, stderr: 'listening on eth0' }, trigger: { exitCode: 1, stdout: '1 packets transmitted, 0 received', stderr: '' } }));
  it('seen when enough packets match, not-seen otherwise, and reports the trigger', () => {
    const seen = evaluateCapture({ expect: 'seen', count: 1, ifname: 'eth0', trigger }, probe(['12:00:00.000 IP 192.168.15.2 > 192.168.1.3: ICMP echo request, id 1, seq 1, length 64']));
    expect(seen).toMatchObject({ pass: true, outcome: 'seen', data: { trigger: 'no-reply' } });
    expect(evaluateCapture({ expect: 'not-seen', count: 1, ifname: 'eth0', trigger }, probe([]))).toMatchObject({ pass: true, outcome: 'not-seen' });
    expect(evaluateCapture({ expect: 'seen', count: 2, ifname: 'eth0', trigger }, probe(['one packet']))).toMatchObject({ pass: false });
  });
  it('is skipped, never passed, without tcpdump', () => {
    const check = { kind: 'capture' as const, index: 0, name: 'c', from: 'x', fromNs: 'x', ifname: 'eth0', filter: 'icmp', expect: 'seen' as const, count: 1, trigger, timeout: 1 };
    expect(skipReason(check, (t) => t !== 'tcpdump')).toContain('tcpdump not installed');
    expect(skipReason(check, () => true)).toBeUndefined();
  });
});

describe('rule matching for diagnosis', () => {
  it('understands interfaces, negation, addresses and ports', () => {
    const rule = ['-s', '192.168.15.0/24', '!', '-o', 'v-net-0', '-j', 'MASQUERADE'];
    expect(matchRule(rule, { src: '192.168.15.2', dst: '192.168.1.3', out: 'eth0' })?.target).toBe('MASQUERADE');
    expect(matchRule(rule, { src: '192.168.15.2', dst: '192.168.15.1', out: 'v-net-0' })).toBeNull();
    expect(matchRule(['-p', 'tcp', '-m', 'tcp', '--dport', '80', '-j', 'DNAT', '--to-destination', '10.0.0.2:80'], { src: 'a', dst: 'b', proto: 'tcp', dport: 80 })).toEqual({ target: 'DNAT', to: '10.0.0.2:80' });
    expect(matchRule(['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'], { src: 'a', dst: 'b' })).toBeNull();
  });
});

describe('junit', () => {
  it('is one testcase per check, escaped, with failure text and diagnosis', () => {
    const xml = junitXml([{ version: 1, lab: 'l', variant: null, prefix: '', status: 'fail', passed: 1, failed: 1, skipped: 0, durationMs: 10, checks: [
      { index: 0, name: 'a <&> "b"', kind: 'ping', from: 'x', status: 'pass', expected: 'reply', observed: 'reply', detail: '', attempts: 1, durationMs: 1, diagnosis: null },
      { index: 1, name: 'c', kind: 'ping', from: 'x', status: 'fail', expected: 'reply', observed: 'no-reply', detail: 'lost', attempts: 3, durationMs: 1, diagnosis: { code: 'ip_forward_off', cause: 'host forwards nothing', evidence: ['e'] } },
    ] }]);
    expect(xml.match(/<testcase /g)?.length).toBe(2);
    expect(xml).toContain('name="a &lt;&amp;&gt; &quot;b&quot;"');
    expect(xml).toContain('<failure message="expected reply, observed no-reply: lost" type="ping">expected reply, observed no-reply: lost\nwhy: host forwards nothing');
  });
});
