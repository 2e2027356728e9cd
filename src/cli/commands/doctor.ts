import { context } from '../context.js';
import type { Executor } from '../../exec/executor.js';
import { gatherFacts } from '../../doctor/facts.js';
import { evaluate, fixArgv, modulesToLoad, packagesToInstall, type Finding } from '../../doctor/evaluate.js';
import { loadModules, MODULES_LOAD_FILE } from '../../exec/modules-load.js';
import { LOAD_EFFECT } from '../../exec/kernel-features.js';
import { EnvironmentError, EXIT } from '../../errors.js';
import { quoteArgv } from '../../render/quote.js';
import { colorFor, err, out, printJson } from '../output.js';
import { isQuiet } from '../verbosity.js';
import { asRoot } from '../../as-root.js';

export async function run(opts: { json?: boolean; fix?: boolean; dryRun?: boolean }): Promise<number> {
  const executor = context().executor();
  let findings = evaluate(await gatherFacts(executor));
  let installed: string[] = [];
  let loaded: string[] = [];
  if (opts.fix) {
    const packages = packagesToInstall(findings);
    const modules = modulesToLoad(findings);
    if (opts.dryRun) {
      if (packages.length > 0) for (const argv of Object.values(fixArgv(packages))) out(quoteArgv(argv));
      for (const m of modules) out(`modprobe ${m}  # and add ${m} to ${MODULES_LOAD_FILE}`);
      return 0;
    }
    if (packages.length > 0) {
      const { update, install } = fixArgv(packages);
      if (process.getuid?.() !== 0) throw new EnvironmentError(`installing ${packages.join(' ')} needs root`, 'sudo netlab doctor --fix (or run it as root)');
      if (!findings.length || !(await hasApt(executor))) throw new EnvironmentError('--fix installs Debian/Ubuntu packages and this machine has no apt-get', `install yourself: ${packages.join(' ')}`);
      if (!opts.json) err(`installing: ${packages.join(' ')}`);
      for (const argv of [update, install]) {
        const r = await executor.run({ argv: ['env', 'DEBIAN_FRONTEND=noninteractive', ...argv] });
        if (r.exitCode !== 0) throw new EnvironmentError(`${quoteArgv(argv)} failed`, 'check the package sources (apt-get update) and try again', r.stderr);
      }
      installed = packages;
    }
    if (modules.length > 0) {
      if (process.getuid?.() !== 0) throw new EnvironmentError(`loading ${modules.join(' ')} needs root`, 'sudo netlab doctor --fix');
      await loadModules(modules, executor);
      if (!opts.json) {
        for (const m of modules) err(`loaded ${m} (modprobe ${m}) and listed it in ${MODULES_LOAD_FILE} for every boot${LOAD_EFFECT[m] ? `; ${LOAD_EFFECT[m]}` : ''}`);
      }
      loaded = modules;
    }
    if (packages.length > 0 || modules.length > 0) findings = evaluate(await gatherFacts(executor));
  }
  const failed = findings.filter((f) => f.status === 'fail');
  if (opts.json) {
    printJson({ ok: failed.length === 0, installed, loaded, findings });
    return failed.length === 0 ? EXIT.ok : EXIT.environment;
  }
  print(findings, installed);
  return failed.length === 0 ? EXIT.ok : EXIT.environment;
}

async function hasApt(executor: Executor): Promise<boolean> {
  const r = await executor.run({ argv: ['apt-get', '--version'] }).catch(() => ({ exitCode: 127 }));
  return r.exitCode === 0;
}

function print(findings: readonly Finding[], installed: readonly string[]): void {
  const c = colorFor(process.stdout);
  const mark = { ok: c.green('✓'), warn: c.yellow('!'), fail: c.red('✗'), info: c.cyan('i') };
  const quiet = isQuiet();
  if (installed.length > 0) out(`installed: ${installed.join(' ')}`);
  for (const f of findings) {
    if (quiet && (f.status === 'ok' || f.status === 'info')) continue;
    out(`${mark[f.status]} ${f.title}`);
    if (f.status !== 'ok') out(`    ${c.dim(f.detail)}`);
    if (f.fix && f.status !== 'ok') out(`    ${c.bold('fix:')} ${f.fix}`);
  }
  const count = (s: Finding['status']) => findings.filter((f) => f.status === s).length;
  const packages = packagesToInstall(findings);
  const fixable = [...packages.map((p) => `installs ${p}`), ...modulesToLoad(findings).map((m) => `loads ${m}`)];
  // "ready" only with every tool of the list: the demo and the notes' commands need them too
  const verdict = count('fail') > 0 ? c.red('not ready') : packages.length > 0 ? c.yellow('labs can run, tools are missing') : c.green('ready');
  out(`${verdict}: ${count('ok')} ok, ${count('warn')} warnings, ${count('fail')} problems${fixable.length > 0 ? `; ${asRoot()}netlab doctor --fix ${fixable.join(', ')}` : ''}`);
}
