import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { strayRouteRepair } from '../../src/verify/diagnose/stray-route.js';

// `route replace` matches on the metric: a put-back that names only the lab's route leaves a twin of that
// prefix at another metric. The repair deletes the twins the lab does not have, so exactly the lab's route is left.

const lab = loadLab('labs/switching-routing.yaml', { prefix: 'tw-' }).lab;

describe('a stray route put back leaves exactly the lab\'s route', () => {
  it('C: the lab\'s way back re-added at metric 100, an on-link twin at metric 50 wins: both deleted, the lab\'s put back at its metric', () => {
    const stray = { dst: '192.168.1.0/24', dev: 'eth0', metric: 50 };
    const live = [stray, { dst: '192.168.1.0/24', dev: 'eth0', gateway: '192.168.2.1', metric: 100 }, { dst: '192.168.2.0/24', dev: 'eth0', protocol: 'kernel' }, { dst: 'default', dev: 'eth0', gateway: '192.168.2.1' }];
    expect(strayRouteRepair(lab, 'C', stray, 'eth0', live)).toEqual([
      ['route', 'del', '192.168.1.0/24', 'dev', 'eth0', 'metric', '50'],
      ['route', 'del', '192.168.1.0/24', 'via', '192.168.2.1', 'dev', 'eth0', 'metric', '100'],
      ['route', 'replace', '192.168.1.0/24', 'via', '192.168.2.1', 'dev', 'eth0'],
    ]);
  });

  it('the lab\'s own route still there at its metric is kept (only the stray goes)', () => {
    const stray = { dst: '192.168.1.0/24', dev: 'eth0', metric: 50 };
    const live = [stray, { dst: '192.168.1.0/24', dev: 'eth0', gateway: '192.168.2.1' }];
    expect(strayRouteRepair(lab, 'C', stray, 'eth0', live)).toEqual([
      ['route', 'del', '192.168.1.0/24', 'dev', 'eth0', 'metric', '50'],
      ['route', 'replace', '192.168.1.0/24', 'via', '192.168.2.1', 'dev', 'eth0'],
    ]);
  });

  it('B (another node): a twin of its /24 via A at metric 200 deleted with the stray', () => {
    const stray = { dst: '192.168.2.0/24', dev: 'eth0', gateway: '192.168.1.10', metric: 10 };
    const live = [stray, { dst: '192.168.2.0/24', dev: 'eth0', gateway: '192.168.1.10', metric: 200 }, { dst: '192.168.2.0/24', dev: 'eth0', gateway: '192.168.1.1' }];
    expect(strayRouteRepair(lab, 'B', stray, 'eth0', live)).toEqual([
      ['route', 'del', '192.168.2.0/24', 'via', '192.168.1.10', 'dev', 'eth0', 'metric', '10'],
      ['route', 'del', '192.168.2.0/24', 'via', '192.168.1.10', 'dev', 'eth0', 'metric', '200'],
      ['route', 'replace', '192.168.2.0/24', 'via', '192.168.1.1', 'dev', 'eth0'],
    ]);
  });
});
