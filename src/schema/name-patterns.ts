// Patterns for names used in file names under the state directory (and a MAC, which verify's fixes
// check), free of zod so that commands which only look a lab up (down, verify, status) load without the schema.

/** Lab names and prefixes are used in file names under the state directory. */
export const LAB_NAME = /^[a-z0-9][a-z0-9-]{0,47}$/;
export const PREFIX = /^[a-z0-9][a-z0-9-]{0,15}$/;
/** Node (= network namespace) names; the prefix is added later, so leave room for it. */
export const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
/** A MAC address, as the lab schema and verify's fix allow-lists accept it. */
export const MAC = /^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/;
