import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireRoot } from '../../exec/preflight.js';
import { findOnPath } from '../../exec/preflight.js';
import { quoteArg } from '../../render/quote.js';
import { nodeNamespace } from '../node-ns.js';
import { requireOnlyLabEtcFiles } from '../../exec/etc-netns-check.js';
import { runAttached } from '../../exec/attached.js';
import { err } from '../output.js';
import { isQuiet } from '../verbosity.js';
import { context } from '../context.js';

/** `netlab shell LAB NODE`: an interactive shell inside the node; the prompt names it. */
export async function run(ref: string, node: string, opts: { prefix?: string; shell?: string }): Promise<number> {
  requireRoot('shell');
  const ns = nodeNamespace(ref, node, opts.prefix);
  requireOnlyLabEtcFiles(ns);
  const env = { ...process.env, NETLAB_NODE: node, NETLAB_NETNS: ns };
  const bash = opts.shell === undefined ? findOnPath('bash') : undefined;
  if (!isQuiet()) err(`shell in node ${node} (netns ${ns}); exit or Ctrl-D to leave`);
  if (!bash) return runAttached(['ip', 'netns', 'exec', ns, opts.shell ?? process.env.SHELL ?? '/bin/sh'], { ...env, PS1: `[${node}] # ` }, context().echo);
  // bash reads the learner's own rc first, then names the node in the prompt
  const dir = mkdtempSync(join(tmpdir(), 'netlab-shell-'));
  const rc = join(dir, 'bashrc');
  writeFileSync(rc, `[ -f /etc/bash.bashrc ] && . /etc/bash.bashrc\n[ -f ~/.bashrc ] && . ~/.bashrc\nPS1=${quoteArg(`[netlab ${node}] \\w\\$ `)}\n`);
  try {
    return await runAttached(['ip', 'netns', 'exec', ns, bash, '--rcfile', rc, '-i'], env, context().echo);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
