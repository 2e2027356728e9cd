import { phaseOf, type Plan, type Step } from '../compile/step.js';
import { teardownCommands } from '../compile/compile-down.js';
import { NETLAB, stdinOf, toArgv } from './argv.js';
import { quoteArgv } from './quote.js';

export interface RenderOptions {
  /** the command to write for `netlab` (an absolute path in a runnable script) */
  readonly netlab?: string;
}

/** One step as the command a learner types, with its input as a here-document. */
export function renderStep(step: Step, options: RenderOptions = {}): string {
  const argv = toArgv(step).map((a) => (a === NETLAB && options.netlab ? options.netlab : a));
  const input = stdinOf(step);
  if (input !== undefined) return `${quoteArgv(argv)} >/dev/null <<'${heredocTag(input)}'\n${input}${input.endsWith('\n') || input === '' ? '' : '\n'}${heredocTag(input)}`;
  if (step.kind === 'service.start') return `${quoteArgv(argv)} >/dev/null 2>&1 &`;
  return quoteArgv(argv);
}

/** A delimiter that cannot occur in the content. */
function heredocTag(content: string): string {
  let tag = 'EOF';
  while (content.split('\n').includes(tag)) tag = `${tag}_`;
  return tag;
}

export function renderPlanText(plan: Plan): string {
  const lines = [`# lab ${plan.lab}${plan.prefix ? ` (prefix ${plan.prefix})` : ''}: ${plan.steps.length} steps, plan v${plan.version}`];
  let phase = '';
  for (const step of plan.steps) {
    const p = phaseOf(step);
    if (p !== phase) lines.push(`# ${p}`);
    phase = p;
    lines.push(renderStep(step));
  }
  lines.push('# teardown (netlab down)');
  if (plan.steps.some((s) => s.kind === 'service.start')) lines.push('# first stop the services started above (netlab tracks them by pid)');
  for (const argv of teardownCommands(plan)) lines.push(quoteArgv(argv));
  return `${lines.join('\n')}\n`;
}

/** A bash script that builds the same lab when run as root on a clean machine. */
export function renderPlanScript(plan: Plan, options: RenderOptions): string {
  const body = plan.steps.map((s) => renderStep(s, options));
  return [
    '#!/usr/bin/env bash',
    `# netlab plan for lab ${plan.lab}: run as root; \`netlab down\` does not know about labs built this way.`,
    '# Teardown: stop the services it starts, then:',
    ...teardownCommands(plan).map((argv) => `#   ${quoteArgv(argv)}`),
    'set -euo pipefail',
    ...body,
    '',
  ].join('\n');
}
