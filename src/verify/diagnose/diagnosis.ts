/** Stable cause codes: the corpus, the JSON report and the accuracy benchmark speak them. */
export const CAUSE_CODES = [
  'ip_forward_off', 'forward_drop', 'input_drop', 'output_drop', 'link_down', 'link_missing', 'no_route', 'route_wrong', 'no_return_route',
  'masquerade_missing', 'dnat_missing', 'address_mismatch', 'neighbor_failed', 'bridge_port_detached', 'service_down',
  'dns_server_down', 'resolv_conf_wrong', 'hosts_file_wrong', 'name_unresolved', 'mtu_mismatch', 'fdb_missing',
  'rp_filter_drop', 'proxy_arp_off', 'bridge_vlan_filtered', 'unexpected_path', 'unknown',
] as const;

export type CauseCode = (typeof CAUSE_CODES)[number];

/** Why a check probably failed: the first cause found along the expected path (or its reply's). */
export interface Diagnosis {
  /** a stable code for the cause, e.g. ip_forward_off */
  readonly code: CauseCode;
  /** the cause in plain words, e.g. "host forwards nothing: net.ipv4.ip_forward is 0" */
  readonly cause: string;
  /** what the kernel said that shows it (commands and their answers) */
  readonly evidence: readonly string[];
  /** what would fix it: the commands below as a learner types them, or words when no command can */
  readonly fix?: string;
  /** the fix as argv arrays, each scoped to one of the lab's namespaces (fix-scope.ts); absent when the fix is words */
  readonly commands?: readonly (readonly string[])[];
  /** the node where the cause is */
  readonly node?: string;
  /** the interface of that node it concerns */
  readonly interface?: string;
}
