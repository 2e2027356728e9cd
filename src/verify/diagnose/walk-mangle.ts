import type { Firewall } from './facts.js';
import { chainPass, type Packet } from './rule-match.js';
import { sameRule } from './nat-repair.js';
import type { WalkContext } from './walk-context.js';

/**
 * The mangle table's chain at a hook (before nat's at PREROUTING, OUTPUT and POSTROUTING): the kernel's and
 * the lab's rules each change their own packet mark (-j MARK) and connection mark (-j CONNMARK: --set-mark,
 * --save-mark, --restore-mark; the connection's mark is kept per node, for the reply too). A kernel rule the lab
 * does not have that changes the mark is kept, to be deleted when the mark it set is what goes wrong.
 */
export async function mangle(c: WalkContext, chain: string, p: Packet): Promise<void> {
  const { st, facts, model } = c;
  const kernel = await facts.firewall(st.node, 'mangle');
  const lab = await model.firewall(st.node, 'mangle');
  if (kernel.rules.size === 0 && lab.rules.size === 0) return;
  const k = chainPass(kernel.rules, chain, { ...p, mark: st.mark, ctmark: st.ct.k.get(st.node) ?? 0 });
  const l = chainPass(lab.rules, chain, { ...p, mark: st.labMark, ctmark: st.ct.l.get(st.node) ?? 0 });
  if (k.mark !== st.mark && k.marked?.rule && k.mark !== l.mark && !labHas(lab, k.marked.chain ?? chain, k.marked.rule)) {
    st.strayMark = { table: 'mangle', chain: k.marked.chain ?? chain, rule: k.marked.rule };
  }
  st.mark = k.mark;
  st.labMark = l.mark;
  st.ct.k.set(st.node, k.ct);
  st.ct.l.set(st.node, l.ct);
}

const labHas = (lab: Firewall, chain: string, rule: readonly string[]) => (lab.rules.get(chain) ?? []).some((r) => sameRule(r, rule));
