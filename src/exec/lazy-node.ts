import { createRequire } from 'node:module';

// node:child_process (with node:net under it) costs a Node start about 15 ms of CPU to load (issue 17);
// `down` or `verify` of a lab that is not running, every test's clean-up, never starts a program
const load = createRequire(import.meta.url);

export const childProcess = (): typeof import('node:child_process') => load('node:child_process') as typeof import('node:child_process');
export const nodeNet = (): typeof import('node:net') => load('node:net') as typeof import('node:net');
