import { etcNetnsPath, type Plan } from './step.js';

/** The teardown a learner would type for a plan, after stopping its services: delete the namespaces (their links go with them), remove the files. */
export function teardownCommands(plan: Plan): string[][] {
  const files = plan.steps.flatMap((s) => (s.kind === 'file.write' ? [{ ns: s.ns, name: s.name }] : []));
  const fileDirs = [...new Set(files.map((f) => f.ns))];
  return [
    ...plan.namespaces.map((ns) => ['ip', 'netns', 'del', ns]),
    ...files.map((f) => ['rm', '-f', etcNetnsPath(f.ns, f.name)]),
    ...fileDirs.map((ns) => ['rmdir', etcNetnsPath(ns)]),
  ];
}
