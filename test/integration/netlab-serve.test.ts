import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { join } from 'node:path';
import { IS_ROOT } from '../helpers/cli.js';
import { NETLAB_BIN, PACKAGE_ROOT } from '../../src/paths.js';

// `up` runs libexec/netlab-serve (perl) where `netlab serve` (Node) ran before (issue 17): the same
// requests to both, each in a throwaway network namespace of its own (unshare -n: gone with its last
// process), must get byte-identical answers, log lines and exit codes. Only the Date header, the
// peers' ephemeral ports and pids are masked.

const d = IS_ROOT ? describe : describe.skip;
const NODE = [process.execPath, NETLAB_BIN, 'serve'];
const PERL = ['perl', join(PACKAGE_ROOT, 'libexec', 'netlab-serve')];

// "$@" is the service program (node bin/netlab serve, or perl netlab-serve); every output goes to stdout
const SCRIPT = String.raw`
set -u
ip link set lo up
ask() { printf "$1" | timeout 5 curl -s telnet://127.0.0.1:$2 2>/dev/null; echo "[rc $?]"; }
"$@" http --node c4 --port 80 > /tmp/netlab-serve-test.$$.http 2>&1 &
"$@" http --node up --port 90 --address 127.0.0.1 --body 'upstream body' > /dev/null 2>&1 &
"$@" proxy --node h --port 81 --to 127.0.0.1 --to-port 90 > /tmp/netlab-serve-test.$$.proxy 2>&1 &
"$@" proxy --node h --port 82 --to 127.0.0.1 --to-port 99 > /dev/null 2>&1 &
listening() { for p in "$@"; do ss -Hltn "sport = :$p" | grep -q . || return 1; done; }
for i in $(seq 200); do listening 80 81 82 90 && break; sleep 0.1; done
echo '== http'
curl -si http://127.0.0.1/; echo "[rc $?]"
curl -si -0 http://127.0.0.1/source; echo "[rc $?]"
curl -sI http://127.0.0.1/x; echo "[rc $?]"
curl -si -H 'Connection: close' 'http://[::1]/source'; echo "[rc $?]"
curl -si -X POST -d 'a=1' http://127.0.0.1/p http://127.0.0.1/q; echo "[rc $?]"
ask 'garbage\r\n\r\n' 80
ask 'GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /source HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' 80
echo '== proxy'
curl -si http://127.0.0.1:81/source; echo "[rc $?]"
curl -s http://127.0.0.1:81/; echo "[rc $?]"
# empty reply (52) or reset (56): which one depends on whether the request was read before the close, in Node too
curl -s -m 5 http://127.0.0.1:82/; r=$?; [ $r = 52 ] || [ $r = 56 ] && echo '[no answer]' || echo "[rc $r]"
head -c 3000000 /dev/urandom > /tmp/netlab-serve-test.$$.big
perl -MSocket -e 'socket(S,AF_INET,SOCK_STREAM,0); setsockopt(S,SOL_SOCKET,SO_REUSEADDR,1); bind(S, pack_sockaddr_in(91, inet_aton("127.0.0.1"))); listen(S,5); accept(C,S); open F,">", $ARGV[0]; while(sysread(C,$b,65536)){print F $b} close F' /tmp/netlab-serve-test.$$.got &
sink=$!
"$@" proxy --node h --port 83 --to 127.0.0.1 --to-port 91 > /dev/null 2>&1 &
for i in $(seq 200); do listening 83 && break; sleep 0.1; done
timeout 10 perl -MSocket -e 'socket(S,AF_INET,SOCK_STREAM,0); connect(S, pack_sockaddr_in(83, inet_aton("127.0.0.1"))) or die; open F,"<",$ARGV[0]; while(read(F,$b,100000)){syswrite(S,$b)} shutdown(S,1); while(sysread(S,$r,100)){print "reply: $r"}' /tmp/netlab-serve-test.$$.big
wait $sink
cmp -s /tmp/netlab-serve-test.$$.big /tmp/netlab-serve-test.$$.got && echo 'copied 3000000 bytes intact'
proxy=$(ss -Hltnp | grep ':81 ' | grep -o 'pid=[0-9]*' | cut -d= -f2)
grep -E '^(Uid|Gid):' /proc/$proxy/status
echo '== errors'
"$@" http --node up --port 90 --address 127.0.0.1 2>&1; echo "[rc $?]"
"$@" http --node c4 --port 80 2>&1; echo "[rc $?]"
"$@" proxy --node up --port 90 --to 1.2.3 2>&1; echo "[rc $?]"
echo '== pause'
"$@" pause --node pp > /tmp/netlab-serve-test.$$.pause & pause=$!
for i in $(seq 200); do grep -q holding /tmp/netlab-serve-test.$$.pause && break; sleep 0.1; done
kill $pause; wait $pause; echo "[rc $?]"; cat /tmp/netlab-serve-test.$$.pause
kill $(jobs -p) 2>/dev/null; wait
echo '== http log'; cat /tmp/netlab-serve-test.$$.http
echo '== proxy log'; cat /tmp/netlab-serve-test.$$.proxy
rm -f /tmp/netlab-serve-test.$$.*
`;

async function run(program: string[]): Promise<string> {
  const r = await execa('unshare', ['-n', 'bash', '-c', SCRIPT, 'bash', ...program], { reject: false, timeout: 90_000 });
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout
    .replace(/^Date: .*$/gm, 'Date: (masked)')
    .replace(/(127\.0\.0\.1|::1):\d+ -> /g, '$1:PORT -> ')
    .replace(/\(pid \d+\)/g, '(pid N)');
}

d('netlab-serve (perl) answers as netlab serve (Node) did', () => {
  it('http, proxy, errors and pause: the same bytes, log lines and exit codes', async () => {
    const [node, perl] = [await run(NODE), await run(PERL)];
    // the script is strong enough to see the services work at all
    expect(node).toContain('X-Netlab-Source: 127.0.0.1');
    expect(node).toContain('X-Netlab-Node: up');
    expect(node).toContain('\nupstream body[rc 0]');
    expect(node).toContain('copied 3000000 bytes intact');
    expect(node).toContain('[no answer]');
    expect(node).toMatch(/^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
    expect(node).toMatch(/^Gid:\s+65534\s+65534\s+65534\s+65534$/m);
    expect(node).toContain('EADDRINUSE (listen EADDRINUSE: address already in use 127.0.0.1:90)');
    expect(node).toContain('EADDRINUSE (listen EADDRINUSE: address already in use :::80)');
    expect(node).toContain('in up: error (netlab serve proxy needs --port N');
    expect(node).toContain('pause: holding the network namespace of pp (pid N)');
    expect(perl).toBe(node);
  }, 200_000);
});
