import { it } from 'vitest';

// What --target vagrant costs over running netlab in the VM directly, per transport of the fake VM
// (test/helpers/fake-vm.ts). A measurement, not a test: NETLAB_MEASURE_VAGRANT=1 npx vitest run
// --project integration test/integration/vagrant-target-timing.test.ts (prints medians of 5 runs).
import { netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';
import { startFakeVm, transports } from '../helpers/fake-vm.js';

it.runIf(process.env.NETLAB_MEASURE_VAGRANT === '1')('measure', async () => {
  const rows: string[] = [];
  const time = async (label: string, f: () => Promise<unknown>) => {
    const ms: number[] = [];
    for (let i = 0; i < 5; i++) { const t = performance.now(); await f(); ms.push(performance.now() - t); }
    ms.sort((a, b) => a - b);
    rows.push(`${label}: median ${Math.round(ms[2]!)} ms (min ${Math.round(ms[0]!)}, max ${Math.round(ms[4]!)})`);
  };
  for (const transport of transports()) {
    const vm = await startFakeVm({ transport });
    const stateDir = tempStateDir();
    await time(`${transport}: status --target vagrant`, () => netlab(['status', '--target', 'vagrant'], { stateDir, env: vm.env }));
    await time(`${transport}: status in the VM directly`, async () => { const r = await vm.sh('netlab status'); if (r.exitCode) throw new Error(r.stderr); });
    const p = uniquePrefix();
    await time(`${transport}: up+verify+down red-blue-bridge --target vagrant`, async () => {
      for (const c of ['up', 'verify', 'down']) { const r = await netlab([c, 'red-blue-bridge', '--target', 'vagrant', '--prefix', p], { stateDir, env: vm.env }); if (r.exitCode) throw new Error(r.stderr); }
    });
    await time(`${transport}: up+verify+down red-blue-bridge in the VM directly`, async () => { const r = await vm.sh(`for c in up verify down; do netlab $c red-blue-bridge --prefix ${p} >/dev/null || exit 1; done`); if (r.exitCode) throw new Error(r.stderr); });
    vm.stop();
  }
  console.log(`MEASURE\n${rows.join('\n')}`);
}, 900_000);
