import type { Lab, Node } from '../model/types.js';
import type { Problem } from '../problem.js';
import { interfacesOf } from '../model/by-node.js';
import { sysctlProblem } from '../model/check-sysctls.js';
import { BUILTIN_CHAINS } from '../model/resolve-firewall.js';
import { checkRuleTokens } from '../model/iptables/check-rule.js';
import type { Plan, Step } from './step.js';

/**
 * What a plan read from a file must share with the lab it is applied for, beyond its schema
 * (plan-schema.ts): the lab's name, prefix and namespaces (so it touches no namespace but the ones up
 * claims), and the allow-lists compile output passed: sysctl keys and values, iptables rules.
 */
export function checkPlanAgainstLab(plan: Plan, lab: Lab): Problem[] {
  const problems: Problem[] = [];
  if (plan.lab !== lab.name) problems.push({ path: ['lab'], message: `the plan is for lab ${plan.lab}, not ${lab.name}` });
  if (plan.prefix !== lab.prefix) problems.push({ path: ['prefix'], message: `the plan was made with prefix "${plan.prefix}", not "${lab.prefix}"`, hint: `give --prefix ${plan.prefix || '""'}, or save the plan again` });
  const wanted = lab.nodes.map((n) => n.ns);
  if (plan.namespaces.length !== wanted.length || plan.namespaces.some((ns, i) => ns !== wanted[i])) {
    problems.push({ path: ['namespaces'], message: `the plan's namespaces are not the lab's (${wanted.join(', ')})`, hint: 'save the plan again with netlab plan LAB --format json' });
  }
  // a plan for another lab or prefix: its steps say nothing more worth reading
  if (problems.length > 0) return problems;
  const nodeOf = new Map(lab.nodes.map((n) => [n.ns, n]));
  plan.steps.forEach((step, i) => {
    for (const problem of stepProblems(step, nodeOf, lab)) problems.push({ ...problem, path: ['steps', i, ...problem.path] });
  });
  return problems;
}

type StepProblem = Omit<Problem, 'path'> & { readonly path: readonly PropertyKey[] };

function stepProblems(step: Step, nodeOf: ReadonlyMap<string, Node>, lab: Lab): StepProblem[] {
  const node = nodeOf.get(step.ns);
  if (!node) return [{ path: ['ns'], message: `${step.ns} is not a namespace of lab ${lab.name}` }];
  const others = namespacesNamed(step).filter((ns) => !nodeOf.has(ns));
  if (others.length > 0) return [{ path: [], message: `${others.join(', ')} is not a namespace of lab ${lab.name}` }];
  if (step.kind === 'service.start' && step.service.ns !== step.ns) return [{ path: ['service', 'ns'], message: 'a service starts in the namespace of its step' }];
  if (step.kind === 'sysctl.set') {
    const names = new Set(['lo', ...interfacesOf(lab.interfaces, node.name).map((f) => f.name)]);
    const problem = sysctlProblem(step.key, step.value, node.name, names);
    return problem ? [{ path: ['key'], ...problem }] : [];
  }
  if (step.kind === 'iptables.rule') {
    const builtin = BUILTIN_CHAINS[step.table];
    const chains = node.firewall.find((t) => t.table === step.table)?.chains ?? [];
    const problem = checkRuleTokens(step.rule, { table: step.table, known: new Set([...builtin, ...chains]), custom: new Set(chains), builtin });
    return problem ? [{ path: ['rule'], ...problem }] : [];
  }
  return [];
}

/** Other namespaces a step reaches into (a veth's peer, a device moved to another namespace). */
function namespacesNamed(step: Step): string[] {
  if (step.kind === 'link.add-veth') return [step.peerNs];
  if ((step.kind === 'link.add-vxlan' || step.kind === 'link.add-macvlan') && step.netns !== undefined) return [step.netns];
  return [];
}
