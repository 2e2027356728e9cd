import * as z from 'zod';
import { ALL_DIGITS, IF_NAME, NODE_NAME } from './names.js';

/** `eth0` (an interface of the same node) or `host:eth0` (an interface of another node). */
export const ParentRef = z.string().refine(
  (v) => {
    const parts = v.split(':');
    const name = parts[parts.length - 1] ?? '';
    if (parts.length > 2 || !IF_NAME.test(name) || ALL_DIGITS.test(name)) return false;
    return parts.length === 1 || NODE_NAME.test(parts[0] ?? '');
  },
  { message: 'a parent is an interface of this node (eth0) or node:interface (host:eth0)' },
);

export { splitParent } from './parent-split.js';
