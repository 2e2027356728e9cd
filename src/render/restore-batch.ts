import type { Step } from '../compile/step.js';
import type { TableName } from '../schema/firewall.js';
import type { Batch } from './batch.js';
import { enterNet } from './enter-net.js';
import { restoreLine } from './restore-line.js';

/**
 * One `iptables-restore --noflush` per namespace. Each table is its own transaction (COMMIT): when a
 * line fails, that table applies nothing, but the tables committed before it stay applied.
 */
export function restoreBatch(ns: string, steps: readonly Step[], netOnly?: boolean): Batch {
  const lines: string[] = [];
  const lineToStep = new Map<number, number>();
  const tables = [...new Set(steps.map((s) => (s as { table: TableName }).table))];
  for (const table of tables) {
    lines.push(`*${table}`);
    steps.forEach((s, i) => {
      if (s.kind === 'iptables.policy' && s.table === table) lineToStep.set(lines.push(`:${s.chain} ${s.policy} [0:0]`), i);
      if (s.kind === 'iptables.chain' && s.table === table) lineToStep.set(lines.push(`:${s.chain} - [0:0]`), i);
    });
    steps.forEach((s, i) => {
      if (s.kind === 'iptables.rule' && s.table === table) lineToStep.set(lines.push(restoreLine(s.rule)), i);
    });
    lines.push('COMMIT');
  }
  return {
    steps,
    command: { argv: [...enterNet(ns, netOnly), 'iptables-restore', '--noflush'], input: `${lines.join('\n')}\n` },
    failedIndex: (stderr) => {
      const m = /line (\d+) failed/.exec(stderr);
      return m ? (lineToStep.get(Number(m[1])) ?? -1) : -1;
    },
    appliedBefore: (index) => {
      const failing = (steps[index] as { table?: TableName } | undefined)?.table;
      const committed = tables.slice(0, Math.max(0, tables.indexOf(failing as TableName)));
      return steps.filter((s) => committed.includes((s as { table: TableName }).table)).length;
    },
  };
}
