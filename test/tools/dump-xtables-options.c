/*
 * Prints the getopt option table of every installed iptables extension, one JSON line per
 * (extension, revision, family): [name, has_arg, invertible (-1: old-style), val]. It registers
 * nothing: the extension's constructor calls our xtables_register_* instead of libxtables'.
 * Source of src/model/iptables/extension-options.ts:
 *   apt-get install libxtables-dev gcc
 *   gcc -rdynamic -o dump test/tools/dump-xtables-options.c -ldl -lxtables
 *   ./dump /usr/lib/x86_64-linux-gnu/xtables/lib{xt,ipt}_*.so
 */
#include <stdio.h>
#include <dlfcn.h>
#include <string.h>
#include <getopt.h>
#include <xtables.h>
static const char *lib;
static void dump_opts(const char *kind, const char *name, unsigned rev, unsigned fam, const struct option *eo, const struct xt_option_entry *x6) {
  printf("{\"lib\":\"%s\",\"kind\":\"%s\",\"name\":\"%s\",\"rev\":%u,\"family\":%u,\"opts\":[", lib, kind, name, rev, fam);
  int first = 1;
  if (x6) for (int i = 0; x6[i].name; i++) { printf("%s[\"%s\",%d,%d,%u]", first?"":",", x6[i].name, x6[i].type != XTTYPE_NONE, (x6[i].flags & XTOPT_INVERT)?1:0, x6[i].id); first = 0; }
  else if (eo) for (int i = 0; eo[i].name; i++) { printf("%s[\"%s\",%d,-1,%d]", first?"":",", eo[i].name, eo[i].has_arg, eo[i].val); first = 0; }
  printf("],\"x6\":%d}\n", x6 != NULL);
}
void xtables_register_match(struct xtables_match *m) { dump_opts("match", m->name, m->revision, m->family, m->extra_opts, m->x6_options); }
void xtables_register_matches(struct xtables_match *m, unsigned int n) { for (unsigned i = 0; i < n; i++) xtables_register_match(&m[i]); }
void xtables_register_target(struct xtables_target *t) { dump_opts("target", t->name, t->revision, t->family, t->extra_opts, t->x6_options); }
void xtables_register_targets(struct xtables_target *t, unsigned int n) { for (unsigned i = 0; i < n; i++) xtables_register_target(&t[i]); }
int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) { lib = argv[i]; if (!dlopen(argv[i], RTLD_NOW)) fprintf(stderr, "%s\n", dlerror()); }
  return 0;
}
