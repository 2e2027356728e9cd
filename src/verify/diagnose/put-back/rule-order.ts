/**
 * Which of a chain's rules stay where they are: the longest run of the live rules that is also in the lab's
 * order (a longest common subsequence). A live rule outside it is deleted, a lab rule outside it inserted
 * at its position: the same rules in another order differ, not only a rule added or lost.
 */
export function keptInOrder(live: readonly string[], lab: readonly string[]): { live: boolean[]; lab: boolean[] } {
  // len(i, j): the longest common run of live[i..] and lab[j..], in one flat table
  const width = lab.length + 1;
  const table = new Array<number>((live.length + 1) * width).fill(0);
  const len = (i: number, j: number) => table[i * width + j] ?? 0;
  for (let i = live.length - 1; i >= 0; i--)
    for (let j = lab.length - 1; j >= 0; j--)
      table[i * width + j] = live[i] === lab[j] ? len(i + 1, j + 1) + 1 : Math.max(len(i + 1, j), len(i, j + 1));
  const kept = { live: live.map(() => false), lab: lab.map(() => false) };
  for (let i = 0, j = 0; i < live.length && j < lab.length; ) {
    if (live[i] === lab[j]) {
      kept.live[i++] = true;
      kept.lab[j++] = true;
    } else if (len(i + 1, j) >= len(i, j + 1)) i++;
    else j++;
  }
  return kept;
}
