// The one-way flow of src/, written once and checked by `npm run lint:deps` (run in .ci/run).
// A folder may import its own files, the shared root files (errors.ts, problem.ts, trace.ts, paths.ts,
// as-root.ts) and folders on an earlier row; never a later row. docs/architecture.md explains each row.
//
//   schema -> load -> model -> variants -> lab -> compile -> render -> observe -> state -> exec
//          -> the tools (verify, drift, doctor, guide, graph, reference, services, hosts) -> engine -> cli
//
// engine/ composes up, down, verify and test from the plan, an executor, the store and events; cli/
// only parses flags into a context, calls the engine and picks a view. state sits below exec:
// exec/teardown.ts journals to the store while it runs. lab/ composes read (load/) + resolve (model/)
// + a variant (variants/) into the Lab a command works on. No exceptions: no folder imports a later
// one, and no two folders import each other (the folder-cycle rule below).
const LAYERS = [
  ['schema'],
  ['load'],
  ['model'],
  ['variants'],
  ['lab'],
  ['compile'],
  ['render'],
  ['observe'],
  ['state'],
  ['exec'],
  ['verify', 'drift', 'doctor', 'guide', 'graph', 'reference', 'services', 'hosts'],
  ['engine'],
  ['cli'],
];
const ROOT_FILES = '^src/(errors|problem|trace|paths|as-root|timeout-scale)\\.ts$';
const folders = (row) => `^src/(${row.join('|')})/`;
const SPAWN = '^(node:)?child_process$|^execa$|^node_modules/execa/';

const layerRules = LAYERS.flatMap((row, i) => {
  const later = LAYERS.slice(i + 1).flat();
  if (later.length === 0) return [];
  return [{
    name: `flow-${row.join('-')}`,
    comment: `${row.join(', ')} may not import a later stage (${later.join(', ')})`,
    severity: 'error',
    from: { path: folders(row) },
    to: { path: folders(later) },
  }];
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'root-files-import-nothing-above',
      comment: 'errors.ts, problem.ts, trace.ts, paths.ts and as-root.ts are below every folder',
      severity: 'error',
      from: { path: ROOT_FILES },
      to: { path: '^src/[a-z-]+/' },
    },
    {
      name: 'one-seam',
      comment: 'only src/exec/ spawns processes (child_process, execa)',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/exec/' },
      to: { path: SPAWN },
    },
    {
      name: 'pure-core',
      comment: 'schema, model, compile, render and observe touch no file system and spawn nothing',
      severity: 'error',
      from: { path: folders(['schema', 'model', 'compile', 'render', 'observe']) },
      to: { path: '^(node:)?(fs|fs/promises|child_process)$|^execa$' },
    },
    {
      name: 'no-circular',
      comment: 'no import cycles, type-only imports included',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment: 'no two folders of src/ import each other, directly or through others',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: { path: ['^src/', 'node_modules', '^(node:)?[a-z_/]+$'] },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
// read by test/unit/architecture-doc.test.ts (checks docs/architecture.md against it); not enumerable,
// because dependency-cruiser refuses keys it does not know
Object.defineProperty(module.exports, 'layers', { value: LAYERS, enumerable: false });
