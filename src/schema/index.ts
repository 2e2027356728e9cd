export { LabSchema, type LabSpec } from './lab.js';
export type { NodeSpec } from './node.js';
export type { LinkSpec, EndSpec } from './link.js';
export type { CheckSpec } from './checks.js';
export type { ServiceSpec } from './services.js';
export type { FirewallSpec, TableName } from './firewall.js';
