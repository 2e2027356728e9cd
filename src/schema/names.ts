import * as z from 'zod';

// Names that reach the kernel or a file path. Conservative charsets keep argv, `ip -batch` lines and
// iptables-restore input unambiguous; none may start with '-' (option injection).

/** Node (= network namespace) names (in name-patterns.ts: the state journal checks them too). */
import { NODE_NAME } from './name-patterns.js';
export { NODE_NAME };
/** Interface names: IFNAMSIZ is 16 including the NUL byte. */
export const IF_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
/** The kernel allows "9" as a name, but ip and tcpdump read a number as an interface index: refused. */
export const ALL_DIGITS = /^[0-9]+$/;
const ALL_DIGITS_MESSAGE = 'an interface name cannot be only digits: ip and tcpdump read a number as an interface index (e.g. tcpdump -i 9)';
/** Lab names and prefixes are used in file names under the state directory (patterns kept free of zod). */
import { LAB_NAME, MAC, PREFIX } from './name-patterns.js';
export { LAB_NAME, MAC, PREFIX };
/** iptables chain names: at most 28 characters. */
export const CHAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,27}$/;
/** Files under /etc/netns/<ns>/: a plain file name, no path separators. */
export const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const SYSCTL_KEY = /^[a-z0-9_]+(\.[A-Za-z0-9_-]+)+$/;
/** A host name a check may target (resolved inside the node). */
export const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/;

export const NodeName = z
  .string()
  .regex(NODE_NAME, 'node names use letters, digits, "-" and "_", start with a letter or digit, at most 32 characters');
export const IfName = z
  .string()
  .regex(IF_NAME, 'interface names use letters, digits, ".", "-" and "_", start with a letter or digit, at most 15 characters (the kernel limit)')
  .refine((v) => !ALL_DIGITS.test(v), { message: ALL_DIGITS_MESSAGE });
export const LabName = z.string().regex(LAB_NAME, 'lab names use lower-case letters, digits and "-", at most 48 characters');
export const ChainName = z.string().regex(CHAIN_NAME, 'chain names use letters, digits, "-" and "_", at most 28 characters');
export const FileName = z.string().regex(FILE_NAME, 'a plain file name such as "hosts" or "resolv.conf" (no "/")');
export const Mac = z.string().regex(MAC, 'a MAC address such as 02:42:ac:11:00:02');
export const SysctlKey = z.string().regex(SYSCTL_KEY, 'a sysctl key such as net.ipv4.ip_forward');
