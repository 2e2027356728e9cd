import { systemTools } from '../exec/packages.js';

/** The tools the doctor looks for and --fix installs: the list of scripts/system-tools.tsv, less what drives a VM from outside. */
export function doctorTools() {
  return systemTools().filter((t) => t.need !== 'target');
}
