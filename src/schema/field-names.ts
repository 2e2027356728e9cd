// Every field name of the lab format (the JSON Schema's property names): an unknown field is compared
// with them for a "did you mean". test/unit/field-names.test.ts keeps this list equal to schema/lab.schema.json.
export const FIELD_NAMES: ReadonlySet<string> = new Set([
  'address', 'addresses', 'body', 'bridge', 'bridges', 'capture', 'chain', 'chains', 'checks',
  'cname', 'cnames', 'count', 'description', 'dev', 'dns', 'dst', 'dstport', 'ends', 'exists',
  'expect', 'fails-with', 'fdb', 'files', 'filter', 'firewall', 'from', 'hosts', 'http', 'id',
  'interface', 'key', 'learning', 'links', 'lladdr', 'local', 'log-queries', 'loopback', 'mac',
  'mangle', 'master', 'match', 'metric', 'mtu', 'name', 'nat', 'neighbor', 'neighbors', 'node',
  'nodes', 'notes', 'onlink', 'patch', 'path', 'pause', 'ping', 'policies', 'policy', 'port',
  'proto', 'raw', 'records', 'remote', 'requests', 'requires', 'responders', 'route', 'routes',
  'rule', 'rules', 'scope', 'server', 'services', 'src', 'state', 'status', 'sysctl', 'sysctls',
  'table', 'target', 'tcp', 'timeout', 'to', 'type', 'up', 'upstream', 'url', 'value', 'variants',
  'via', 'vxlans', 'while', 'within',
]);
