// Every field name of the lab format (the JSON Schema's property names): an unknown field is compared
// with them for a "did you mean". test/unit/field-names.test.ts keeps this list equal to schema/lab.schema.json.
export const FIELD_NAMES: ReadonlySet<string> = new Set([
  'address', 'addresses', 'body', 'brd', 'bridge', 'bridges', 'capture', 'chain', 'chains',
  'checks', 'cname', 'cnames', 'count', 'description', 'dev', 'dns', 'dst', 'dstport', 'ends',
  'exists', 'expect', 'fails-with', 'fdb', 'files', 'filter', 'firewall', 'from', 'hosts', 'http',
  'id', 'interface', 'key', 'learning', 'links', 'lladdr', 'local', 'log-queries', 'loopback',
  'mac', 'macvlans', 'mangle', 'master', 'match', 'metric', 'mode', 'mtu', 'name', 'nat',
  'neighbor', 'neighbors', 'node', 'nodes', 'notes', 'onlink', 'parent', 'patch', 'path', 'pause',
  'ping', 'policies', 'policy', 'port', 'proto', 'proxy', 'raw', 'records', 'remote', 'requests',
  'requires', 'responders', 'route', 'routes', 'rule', 'rules', 'scope', 'server', 'services',
  'simplifications', 'src', 'state', 'status', 'sysctl', 'sysctls', 'table', 'target', 'tcp',
  'timeout', 'to', 'to-port', 'tunl0', 'type', 'underlay', 'up', 'upstream', 'url', 'value',
  'variants', 'via', 'vxlans', 'what', 'while', 'why', 'within',
]);
