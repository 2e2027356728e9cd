import { phaseOf, type Plan, type Step } from '../compile/step.js';
import { teardownCommands } from '../compile/compile-down.js';
import { stdinOf, toArgv } from './argv.js';
import { quoteArgv, quoteArgBash, quoteArgvBash } from './quote.js';
import { needsNetlab } from './service-argv.js';
import { requirementLines } from './plan-requires.js';

/**
 * One step as the command a learner types. A file's content is one quoted bash word (a here-string,
 * or printf when it does not end in a line break), so no content can end it early: the only way out
 * of a single-quoted word is a quote, which quoting escapes, and control characters, NUL included,
 * are refused at validation and escaped here.
 */
export function renderStep(step: Step): string {
  const argv = quoteArgvBash(toArgv(step));
  const input = stdinOf(step);
  if (input !== undefined) {
    return input.endsWith('\n') ? `${argv} >/dev/null <<<${quoteArgBash(input.slice(0, -1))}` : `printf '%s' ${quoteArgBash(input)} | ${argv} >/dev/null`;
  }
  if (step.kind === 'service.start') return `${argv} >/dev/null 2>&1 &`;
  return argv;
}

const SERVICES_NOTE = '# nsenter --net enters the network namespace only: `ip netns exec` also bind-mounts /etc/netns/<ns>/ over /etc, which netlab\'s own daemons do not need';

export function renderPlanText(plan: Plan): string {
  const lines = [`# lab ${plan.lab}${plan.prefix ? ` (prefix ${plan.prefix})` : ''}: ${plan.steps.length} steps, plan v${plan.version}`];
  let phase = '';
  for (const step of plan.steps) {
    const p = phaseOf(step);
    if (p !== phase) lines.push(`# ${p}`);
    if (p !== phase && p === 'services') lines.push(SERVICES_NOTE);
    phase = p;
    lines.push(renderStep(step));
  }
  lines.push('# teardown (netlab down)');
  if (plan.steps.some((s) => s.kind === 'service.start')) lines.push('# first stop the services started above (netlab tracks them by pid)');
  for (const argv of teardownCommands(plan)) lines.push(quoteArgv(argv));
  return `${lines.join('\n')}\n`;
}

/**
 * A bash script that builds the same lab when run as root on a clean machine; services need
 * `netlab-serve` on PATH, and a kernel feature the lab requires (`lab.requires`) is checked first, as `up` does.
 */
export function renderPlanScript(plan: Plan, requires: readonly string[] = []): string {
  const netlab = plan.steps.some((s) => s.kind === 'service.start' && needsNetlab(s.service));
  const missing = `this lab's services run \`netlab-serve\` (installed with netlab): put it on root's PATH first (npm install -g netlab, or npm link in a checkout)`;
  return [
    '#!/usr/bin/env bash',
    `# netlab plan for lab ${plan.lab}: run as root; \`netlab down\` does not know about labs built this way.`,
    '# Teardown: stop the services it starts, then:',
    ...teardownCommands(plan).map((argv) => `#   ${quoteArgv(argv)}`),
    'set -euo pipefail',
    ...requirementLines(plan.lab, requires),
    ...(netlab ? [`command -v netlab-serve >/dev/null || { echo ${quoteArgBash(missing)} >&2; exit 3; }`] : []),
    ...plan.steps.flatMap((s, i) => (s.kind === 'service.start' && plan.steps[i - 1]?.kind !== 'service.start' ? [SERVICES_NOTE, renderStep(s)] : [renderStep(s)])),
    '',
  ].join('\n');
}
