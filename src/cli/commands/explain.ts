import { loadLab } from '../../lab/load-lab.js';
import { context } from '../context.js';
import { readState } from '../../state/store.js';
import { labFacts } from '../../verify/diagnose/facts.js';
import { kernelFacts } from '../../verify/diagnose/kernel-facts.js';
import { tracePath, type Trace } from '../../verify/diagnose/trace.js';
import { isIp } from '../../schema/ip.js';
import { UsageError } from '../../errors.js';
import { idFor } from '../lab-ref.js';
import { colorFor, out, printJson } from '../output.js';
import type { ChalkInstance } from 'chalk';
import { unknownHint } from '../../load/suggest.js';

interface Options { prefix?: string; variant?: string; port?: string; proto?: string; json?: boolean }

/** The predicted hop-by-hop path from the lab file, and (when the lab runs and we are root) what the kernel does. */
export async function run(ref: string, from: string, to: string, opts: Options): Promise<number> {
  const proto = (opts.proto ?? (opts.port ? 'tcp' : 'icmp')) as 'icmp' | 'tcp' | 'udp';
  if (!['icmp', 'tcp', 'udp'].includes(proto)) throw new UsageError(`unknown protocol ${opts.proto}`, 'use --proto icmp, tcp or udp');
  if (!isIp(to)) throw new UsageError(`${to} is not an address`, 'give the destination as an IP address, e.g. 192.168.1.3');
  const state = readState(idFor(ref, opts.prefix));
  const running = state?.status === 'up' && process.getuid?.() === 0;
  const lab = running && state ? state.lab : loadLab(ref, { ...(opts.prefix ? { prefix: opts.prefix } : {}), ...(opts.variant ? { variant: opts.variant } : {}) }).lab;
  if (!lab.nodes.some((n) => n.name === from)) throw new UsageError(`lab ${lab.name} has no node ${from}`, unknownHint('its nodes', from, new Set(lab.nodes.map((n) => n.name))));
  const options = { proto, ...(opts.port ? { dport: Number(opts.port) } : {}), returnPath: true };
  const predicted = await tracePath(lab, labFacts(lab), from, to, options);
  const facts = running ? kernelFacts(lab, context().executor()) : undefined;
  const actual = facts ? await tracePath(lab, facts, from, to, options) : undefined;
  if (opts.json) {
    printJson({ lab: lab.name, from, to, proto, port: options.dport ?? null, predicted, kernel: actual ? { ...actual, evidence: facts?.evidence ?? [] } : null });
    return 0;
  }
  const c = colorFor(process.stdout);
  out(c.bold(`${from} -> ${to}${options.dport ? `:${options.dport}` : ''} (${proto}) in ${lab.name}`));
  out('');
  out(c.bold('predicted from the lab file:'));
  printTrace(predicted, c);
  out('');
  if (actual && facts) {
    out(c.bold('what the kernel does:'));
    printTrace(actual, c);
    out(c.dim('  asked:'));
    for (const e of facts.evidence) out(c.dim(`    ${e}`));
  } else {
    out(c.dim(`the lab is not running${process.getuid?.() === 0 ? '' : ' or you are not root'}: start it (sudo netlab up ${ref}) to compare with the kernel`));
  }
  return 0;
}

function printTrace(t: Trace, c: ChalkInstance): void {
  t.hops.forEach((h, i) => {
    const parts = [h.in && `in ${h.in}`, h.local ? 'delivered here' : `out ${h.out}${h.via ? ` via ${h.via}` : ' (directly connected)'}`, `${h.src} -> ${h.dst}`];
    out(`  ${i + 1}. ${c.cyan(h.node)}: ${parts.filter(Boolean).join(', ')}`);
    for (const n of h.nat) out(`       ${c.yellow(n)}`);
    for (const s of h.switched) out(`       switched by bridge ${s}`);
  });
  if (t.arrived) out(`  ${c.green('arrives, and the destination has a route back')}`);
  if (t.finding) {
    out(`  ${c.red('stops:')} ${t.finding.cause}`);
    for (const e of t.finding.evidence) out(c.dim(`    ${e}`));
    if (t.finding.fix) out(`  ${c.cyan('fix:')} ${t.finding.fix}`);
  }
}
