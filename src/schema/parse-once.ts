// zod compiles a parser for each object schema the first time it parses with it (new Function: its
// JIT), which pays back over many parses. A netlab process validates one lab, once: the compiling
// costs more than it saves (an `up` that misses the spec cache: about 4% less CPU without it; zod's
// decisions and messages are the same either way). Pass this to LabSchema.safeParse.
export const PARSE_ONCE = { jitless: true } as const;
