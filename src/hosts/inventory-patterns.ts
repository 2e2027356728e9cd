// The inventory's allow-lists, free of zod so that down and verify (which read the controller's
// state) load no schema.

/** user@host or an ssh config alias: never option-looking (-oProxyCommand=...), no spaces, no shell text. */
export const SSH_DESTINATION = /^(?:[a-z_][a-z0-9_-]{0,31}@)?[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/;
/** A file path without spaces or shell text; never starting with '-'. */
export const PLAIN_PATH = /^[A-Za-z0-9_./][A-Za-z0-9_./-]{0,255}$/;
/** The netlab command on a host: "netlab" from PATH, or an absolute path. */
export const NETLAB_COMMAND = /^(?:netlab|\/[A-Za-z0-9_./-]{1,255})$/;
/** Host names are used in file names, argv of nothing, and output. */
export const HOST_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

