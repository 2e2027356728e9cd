import type { ZodError } from 'zod';
import { FIELD_NAMES } from '../schema/field-names.js';
import { fileNameRefusal } from '../schema/files.js';
import { didYouMean } from './suggest.js';
import type { Problem } from '../problem.js';

/** The schema's issues as problems by YAML path: an unknown key is reported at the key, with a hint. */
export function schemaProblems(issues: ZodError['issues']): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: [...issue.path, key], key, ...(fileNameRefusal(issue.path, key) ?? { message: `unknown field "${key}"`, hint: hintForKey(key) }) });
    } else if (issue.code === 'invalid_key') {
      // a bad name used as a key (a bridge, a vxlan): say what is wrong with it, not only "Invalid key in record"
      problems.push({ path: issue.path, message: issue.issues[0]?.message ?? issue.message });
    } else {
      problems.push({ path: issue.path, message: issue.message });
    }
  }
  return problems;
}

function hintForKey(key: string): string | undefined {
  const known: Record<string, string> = {
    sysctl: 'the field is "sysctls"',
    route: 'the field is "routes"',
    bridge: 'bridges are declared under "bridges:" with their name as key',
    iptables: 'firewall rules go under "firewall: { filter|nat: { rules: [...] } }"',
    check: 'the field is "checks"',
    link: 'the field is "links"',
    node: 'the field is "nodes"',
  };
  if (Object.hasOwn(known, key)) return known[key];
  const near = didYouMean(key, FIELD_NAMES);
  return near ? `did you mean "${near}"?` : undefined;
}
