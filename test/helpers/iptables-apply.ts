/** iptables-save text as table -> chain -> rule bodies (after `-A CHAIN`), and policies */
export interface Saved { rules: Map<string, Map<string, string[]>>; policies: Map<string, string> }

export function parseSave(save: string): Saved {
  const rules = new Map<string, Map<string, string[]>>();
  const policies = new Map<string, string>();
  let table = '';
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) rules.set((table = line.slice(1).trim()), new Map());
    else if (line.startsWith(':')) {
      const [chain = '', policy = '-'] = line.slice(1).split(/\s+/);
      rules.get(table)?.set(chain, []);
      policies.set(`${table}/${chain}`, policy);
    } else if (line.startsWith('-A ')) {
      const [, chain = '', ...rest] = line.split(' ');
      rules.get(table)?.get(chain)?.push(rest.join(' '));
    }
  }
  return { rules, policies };
}

/**
 * Runs `ip netns exec NS iptables -t T ...` commands on `saved` as the kernel would (-A -I -D -R -P -N -F -X),
 * throwing where the kernel refuses (no such rule, index too big): a fix that fails as printed fails here.
 */
export function applyIptables(saved: Saved, commands: readonly (readonly string[])[]): Saved {
  for (const c of commands) {
    const at = c.indexOf('iptables');
    if (at < 0) continue;
    const table = c[at + 1] === '-t' ? (c[at + 2] ?? '') : 'filter';
    const [op = '', chain = '', ...rest] = c.slice(c[at + 1] === '-t' ? at + 3 : at + 1);
    const chains = saved.rules.get(table) ?? new Map<string, string[]>();
    saved.rules.set(table, chains);
    const list = chains.get(chain);
    if (op === '-N') chains.set(chain, []);
    else if (op === '-P') saved.policies.set(`${table}/${chain}`, rest[0] ?? '');
    else if (!list) throw new Error(`iptables: no chain ${chain} in ${table}: ${c.join(' ')}`);
    else if (op === '-A') list.push(rest.join(' '));
    else if (op === '-F') list.length = 0;
    else if (op === '-X') chains.delete(chain);
    else if (op === '-D') {
      // `-D CHAIN N` deletes the Nth rule, `-D CHAIN RULE` the first that is the same
      const i = rest.length === 1 && /^\d+$/.test(rest[0] ?? '') ? (Number(rest[0]) <= list.length ? Number(rest[0]) - 1 : -1) : list.indexOf(rest.join(' '));
      if (i < 0) throw new Error(`iptables: no such rule: ${c.join(' ')}`);
      list.splice(i, 1);
    } else if (op === '-I' || op === '-R') {
      const n = /^\d+$/.test(rest[0] ?? '') ? Number(rest.shift()) : 1;
      if (n > list.length + (op === '-I' ? 1 : 0)) throw new Error(`iptables: index too big: ${c.join(' ')}`);
      list.splice(n - 1, op === '-R' ? 1 : 0, rest.join(' '));
    }
  }
  return saved;
}
