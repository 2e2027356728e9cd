import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadLab } from '../../src/lab/load-lab.js';
import { topologyOf, ruleNote } from '../../src/graph/topology.js';
import { toMermaid } from '../../src/graph/mermaid.js';
import { toDot, q } from '../../src/graph/dot.js';
import { toSvg, toHtml, x } from '../../src/graph/svg.js';
import { rows } from '../../src/graph/layout.js';
import { labsMarkdown, renderGraph } from '../../src/graph/render.js';
import { ROOT } from '../helpers/cli.js';

const natLab = () => loadLab(join(ROOT, 'test/fixtures/graph/nat-lab.yaml'), { prefix: 'g1-' }).lab;

describe('topology of a lab', () => {
  it('holds every namespace, veth pair, bridge port and annotation of red-blue-bridge', () => {
    const t = topologyOf(loadLab('red-blue-bridge').lab);
    expect(t.namespaces.map((n) => n.node)).toEqual(['host', 'red', 'blue', 'orange', 'gray']);
    expect(t.edges.filter((e) => e.kind === 'veth')).toHaveLength(4);
    expect(t.edges).toContainEqual({ kind: 'port', port: 'host/veth-red-br', bridge: 'host/v-net-0' });
    expect(t.namespaces[0]?.interfaces[0]).toMatchObject({ name: 'v-net-0', kind: 'bridge', addresses: ['192.168.15.5/24'] });
    expect(t.namespaces.find((n) => n.node === 'orange')?.notes).toEqual(['http service :80']);
  });

  it('annotates routes, forwarding, policies, MASQUERADE (keeping "!") and DNAT', () => {
    const host = topologyOf(natLab()).namespaces.find((n) => n.node === 'host');
    expect(host?.ns).toBe('g1-host');
    expect(host?.notes).toEqual([
      'forwarding on',
      'filter FORWARD policy DROP',
      'filter: -A FORWARD -i v-net-0 -j ACCEPT',
      'MASQUERADE from 192.168.15.0/24 out not v-net-0',
      'DNAT tcp :8080 -> 192.168.15.2:80',
    ]);
    expect(topologyOf(natLab()).namespaces.find((n) => n.node === 'red')?.notes).toEqual(['route default via 192.168.15.5']);
  });

  it('summarises SNAT and REDIRECT and keeps other rules as typed', () => {
    expect(ruleNote('nat', ['-A', 'POSTROUTING', '-o', 'eth0', '-j', 'SNAT', '--to-source', '203.0.113.1'])).toBe('SNAT out eth0 -> 203.0.113.1');
    expect(ruleNote('nat', ['-A', 'PREROUTING', '-p', 'tcp', '--dport', '80', '-j', 'REDIRECT', '--to-ports', '8080'])).toBe('REDIRECT tcp :80 -> :8080');
    expect(ruleNote('filter', ['-A', 'INPUT', '-j', 'DROP'])).toBe('filter: -A INPUT -j DROP');
  });

  it('puts the hub first, its neighbours next and unlinked namespaces last', () => {
    expect(rows(topologyOf(loadLab('red-blue-bridge').lab))).toEqual([['host'], ['red', 'blue', 'orange', 'gray']]);
    expect(rows(topologyOf(loadLab('red-blue-veth').lab))).toEqual([['red'], ['blue'], ['host']]);
  });
});

describe('renderers', () => {
  it('mermaid: one subgraph per namespace, thick veth cables, dotted bridge ports', () => {
    const text = toMermaid(topologyOf(loadLab('red-blue-bridge').lab));
    expect(text.startsWith('flowchart TB\n')).toBe(true);
    expect(text.match(/^ {2}subgraph /gm)).toHaveLength(5);
    expect(text.match(/===\|veth pair\|/g)).toHaveLength(4);
    expect(text.match(/-\.-\|port\|/g)).toHaveLength(4);
    expect(text).toContain('{{"<b>v-net-0</b> bridge<br/>192.168.15.5/24"}}:::bridge');
  });

  it('mermaid escapes quotes, # and angle brackets in labels', () => {
    const text = toMermaid(topologyOf(natLab()));
    expect(text).toContain('DNAT tcp :8080 -#gt; 192.168.15.2:80');
    expect(text).not.toMatch(/-> 192/);
  });

  it('dot: clusters per namespace, a down link dashed, notes as a left-justified note', () => {
    const text = toDot(topologyOf(natLab()));
    expect(text.match(/subgraph cluster_/g)).toHaveLength(4);
    expect(text).toContain('label="host  (netns g1-host)"');
    expect(text).toMatch(/label="eth0 down\\n203\.0\.113\.2\/24", style="rounded,dashed"/);
    expect(text).toContain('shape=note');
    expect(text).toContain('DNAT tcp :8080 -> 192.168.15.2:80\\l');
    expect(q('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
  });

  it('svg and html are self-contained and escape text', () => {
    const svg = toSvg(topologyOf(natLab()));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toMatch(/href=|<script|@import|url\(/);
    expect(svg).toContain('DNAT tcp :8080 -&gt; 192.168.15.2:80');
    expect(svg.match(/<line class="veth"/g)).toHaveLength(3);
    const html = toHtml(topologyOf(natLab()), 'a <b> & c');
    expect(html).toContain('a &lt;b&gt; &amp; c');
    expect(x('<&">')).toBe('&lt;&amp;&quot;&gt;');
  });

  it('json is the topology; the labs page has a mermaid block per lab', () => {
    const lab = loadLab('red-blue-veth').lab;
    expect(JSON.parse(renderGraph(lab, 'json'))).toEqual(JSON.parse(JSON.stringify(topologyOf(lab))));
    const md = labsMarkdown([lab, loadLab('red-blue-bridge').lab]);
    expect(md.match(/```mermaid/g)).toHaveLength(2);
    expect(md).toContain('## red-blue-bridge');
  });
});
