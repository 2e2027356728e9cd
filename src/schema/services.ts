import { z } from 'zod';
import { Ip } from './ip.js';
import { keyedEntry } from './keyed.js';

const Port = z.number().int().min(1).max(65535);

/** netlab's own identity server: answers "hello from <node>" and reports the source address it sees. */
export const HttpServiceSpec = z.strictObject({
  port: Port.default(80),
  address: Ip.optional().describe('address to bind; all addresses when omitted'),
  body: z.string().max(4096).optional().describe('response body; "hello from <node>" by default'),
});

export const ServiceSpec = keyedEntry({ http: HttpServiceSpec }, { name: z.string().max(60).optional() });
export type ServiceSpec = z.infer<typeof ServiceSpec>;
