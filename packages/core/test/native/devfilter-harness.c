/* Test harness: attaches the supervisor's device program (native/devfilter.h) to a cgroup2
 * directory: devfilter-harness DIR RULE... (RULE as --devrule takes it, `c:1:3:rwm`). */
#define _GNU_SOURCE
#include "devfilter.h"

int main(int argc, char **argv) {
  struct devrule rules[64];
  int n = 0;
  if (argc < 2) return 2;
  for (int i = 2; i < argc && n < 64; i++)
    if (parse_devrule(argv[i], &rules[n++]) < 0) { fprintf(stderr, "bad rule %s\n", argv[i]); return 2; }
  if (attach_devfilter(argv[1], rules, n) < 0) { perror("attach"); return 1; }
  return 0;
}
