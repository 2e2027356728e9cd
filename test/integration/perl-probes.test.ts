import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { NETLAB_PROBE_BIN } from '../../src/paths.js';
import { probeScript } from '../../src/verify/probe-script.js';
import { IS_ROOT } from '../helpers/cli.js';

// The referee of libexec/netlab-probe: netlab's Node probes (tcp-probe, http-probe), which verify ran for
// every tcp and http check before. Both are run side by side against the same real sockets of this
// file's own network namespace (test/helpers/netns-worker.sh), by IP address as verify gives them (a host
// name keeps the Node probe): a listener, a closed port, an address
// nobody answers on a real veth, a network without a route, and HTTP servers that answer in every
// shape a lab's may (a body and netlab's headers, chunked, until close, 404, no answer, a hang-up).
// Each line must read the same, but for how many ms it took.

const d = IS_ROOT ? describe : describe.skip;
// one each: once the kernel's ARP for an address has failed (about 3 s), connects there fail at once (EHOSTUNREACH)
const SILENT_TCP = '10.77.0.9';
const SILENT_HTTP = '10.77.0.10';

async function probe(way: 'perl' | 'node', kind: 'tcp' | 'http', args: string[]): Promise<Record<string, unknown>[]> {
  const argv = way === 'perl' ? ['perl', NETLAB_PROBE_BIN, kind, ...args] : [process.execPath, probeScript(kind === 'tcp' ? 'tcp-probe' : 'http-probe'), ...args];
  const r = await execa(argv[0] as string, argv.slice(1), { reject: false, timeout: 20_000 });
  expect(r.exitCode, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
  return String(r.stdout).trim().split('\n').map((l) => {
    const { ms, ...rest } = JSON.parse(l) as Record<string, unknown>;
    expect(typeof ms, l).toBe('number');
    return rest;
  });
}

async function same(kind: 'tcp' | 'http', args: string[]): Promise<Record<string, unknown>[]> {
  const [perl, node] = await Promise.all([probe('perl', kind, args), probe('node', kind, args)]);
  expect(perl, `netlab-probe ${kind} ${args.join(' ')}`).toEqual(node);
  return perl;
}

const NOT_HTTP: Record<string, string> = {
  ssh: 'SSH-2.0-OpenSSH_9.2\r\n',
  constant: 'HTTX/1.1 200 OK\r\n',
  version: 'HTTP/9.9 200 OK\r\n\r\n',
  status: 'HTTP/1.1 abc\r\n\r\n',
  header: 'HTTP/1.1 200 OK\r\nbad header line\r\n\r\n',
  cutLength: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc',
  cutChunk: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n',
  cutHead: 'HTTP/1.1 200 OK\r\nX-Netlab-Node: a',
};

const listen = <T extends Server | TcpServer>(server: T, host = '127.0.0.1'): Promise<number> =>
  new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));

d('libexec/netlab-probe against the Node probes it replaced', () => {
  const servers: (Server | TcpServer)[] = [];
  const held: Socket[] = [];
  const ports: Record<string, number> = {};
  const closedPort = async () => {
    const s = createTcpServer();
    const port = await listen(s);
    await new Promise((r) => s.close(r));
    return port;
  };

  beforeAll(async () => {
    // a real link whose far end never answers ARP: connects there wait out their timeout
    await execa('ip', ['link', 'add', 'pp-a', 'type', 'veth', 'peer', 'name', 'pp-b']);
    await execa('ip', ['addr', 'add', '10.77.0.1/24', 'dev', 'pp-a']);
    await execa('ip', ['link', 'set', 'pp-a', 'up']);
    await execa('ip', ['link', 'set', 'pp-b', 'up']);
    const http = createServer((req, res) => {
      const url = req.url ?? '/';
      if (url === '/chunked') {
        res.write('part one, ');
        setTimeout(() => res.end('part two\n'), 20);
      } else if (url === '/missing') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('no such page\n');
      } else if (url === '/odd') {
        res.writeHead(200, { 'x-netlab-node': ['one', 'two'] }).end('tab\there "quoted" \\ back\u0001 é ✓\r\n');
      } else {
        res.writeHead(200, { 'x-netlab-node': 'web', 'x-netlab-source': req.socket.remoteAddress ?? '' }).end(`hello ${url}\n`);
      }
    });
    ports.http = await listen(http);
    const http6 = createServer((req, res) => res.writeHead(200, { 'x-netlab-node': 'six' }).end('over IPv6\n'));
    ports.http6 = await listen(http6, '::1');
    // HTTP/1.0 without a length: the body is what comes until the server closes
    const untilClose = createTcpServer((s) => s.once('data', () => s.end('HTTP/1.0 200 OK\r\nX-Netlab-Node: old\r\n\r\nbody until close\n')));
    ports.untilClose = await listen(untilClose);
    // accepts, reads, never answers
    const silent = createTcpServer((s) => held.push(s));
    ports.silent = await listen(silent);
    // hangs up at once, before any answer
    const hangUp = createTcpServer((s) => s.once('data', () => s.destroy()));
    ports.hangUp = await listen(hangUp);
    servers.push(http, http6, untilClose, silent, hangUp);
    // what Node's HTTP parser refuses: the probe must name it with the parser's own code; a body cut short
    for (const [name, text] of Object.entries(NOT_HTTP)) {
      const server = createTcpServer((s) => s.once('data', () => (name.startsWith('cut') ? s.end(text) : s.write(text))));
      ports[name] = await listen(server);
      servers.push(server);
    }
    ports.closed = await closedPort();
  });

  afterAll(async () => {
    held.forEach((s) => s.destroy());
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await execa('ip', ['link', 'del', 'pp-a'], { reject: false });
  });

  it('tcp: connected, refused, timed out, no route', async () => {
    expect(await same('tcp', ['127.0.0.1', String(ports.http), '2000'])).toEqual([{ outcome: 'connected' }]);
    expect(await same('tcp', ['::1', String(ports.http6), '2000'])).toEqual([{ outcome: 'connected' }]);
    expect(await same('tcp', ['127.0.0.1', String(ports.closed), '2000'])).toEqual([{ outcome: 'refused', code: 'ECONNREFUSED' }]);
    expect(await same('tcp', [SILENT_TCP, '80', '700'])).toEqual([{ outcome: 'timeout' }]);
    expect(await same('tcp', ['10.99.0.1', '80', '2000'])).toEqual([{ outcome: 'unreachable', code: 'ENETUNREACH' }]);
  });

  it('http: a response with netlab\'s headers, twice, and IPv6', async () => {
    expect(await same('http', [`http://127.0.0.1:${ports.http}/a/b?c=d`, '2', '2000'])).toEqual([
      { outcome: 'response', status: 200, body: 'hello /a/b?c=d\n', node: 'web', source: '127.0.0.1', local: '127.0.0.1' },
      { outcome: 'response', status: 200, body: 'hello /a/b?c=d\n', node: 'web', source: '127.0.0.1', local: '127.0.0.1' },
    ]);
    expect(await same('http', [`http://[::1]:${ports.http6}/`, '1', '2000'])).toEqual([{ outcome: 'response', status: 200, body: 'over IPv6\n', node: 'six', local: '::1' }]);
  });

  it('http: chunked, until close, 404, escapes and repeated headers', async () => {
    expect(await same('http', [`http://127.0.0.1:${ports.http}/chunked`, '1', '2000'])).toMatchObject([{ status: 200, body: 'part one, part two\n' }]);
    expect(await same('http', [`http://127.0.0.1:${ports.untilClose}/`, '1', '2000'])).toMatchObject([{ status: 200, body: 'body until close\n', node: 'old' }]);
    expect(await same('http', [`http://127.0.0.1:${ports.http}/missing`, '1', '2000'])).toMatchObject([{ status: 404, body: 'no such page\n' }]);
    expect(await same('http', [`http://127.0.0.1:${ports.http}/odd`, '1', '2000'])).toMatchObject([{ status: 200, node: 'one, two' }]);
  });

  it('http: a server that is not HTTP, or answers what Node\'s parser refuses, by the parser\'s code; a response cut short', async () => {
    const codes = { ssh: 'HPE_INVALID_CONSTANT', constant: 'HPE_INVALID_CONSTANT', version: 'HPE_INVALID_VERSION', status: 'HPE_INVALID_STATUS', header: 'HPE_INVALID_HEADER_TOKEN', cutLength: 'ECONNRESET', cutChunk: 'ECONNRESET', cutHead: 'ECONNRESET' };
    for (const [name, code] of Object.entries(codes)) {
      expect(await same('http', [`http://127.0.0.1:${ports[name]}/`, '1', '2000'])).toEqual([{ outcome: 'error', code, local: '127.0.0.1' }]);
    }
  });

  it('takes IP addresses only: a host name is the Node probe\'s (its deadline covers the lookup)', async () => {
    for (const args of [['tcp', 'localhost', '80', '1000'], ['http', 'http://localhost/', '1', '1000']]) {
      const r = await execa('perl', [NETLAB_PROBE_BIN, ...args], { reject: false });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/^usage: netlab-probe tcp IP/);
    }
  });

  it('http: refused, no answer, hung up, nobody there, no route', async () => {
    expect(await same('http', [`http://127.0.0.1:${ports.closed}/`, '1', '2000'])).toEqual([{ outcome: 'refused', code: 'ECONNREFUSED' }]);
    expect(await same('http', [`http://127.0.0.1:${ports.silent}/`, '1', '700'])).toEqual([{ outcome: 'timeout', code: 'ETIMEDOUT', local: '127.0.0.1' }]);
    expect(await same('http', [`http://127.0.0.1:${ports.hangUp}/`, '1', '2000'])).toEqual([{ outcome: 'error', code: 'ECONNRESET', local: '127.0.0.1' }]);
    expect(await same('http', [`http://${SILENT_HTTP}/`, '1', '700'])).toEqual([{ outcome: 'timeout', code: 'ETIMEDOUT' }]);
    expect(await same('http', ['http://10.99.0.1/', '1', '2000'])).toEqual([{ outcome: 'unreachable', code: 'ENETUNREACH' }]);
  });
});
