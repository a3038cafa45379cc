/*
 * The zone's device policy on cgroup v2, which has no devices files: a BPF_PROG_TYPE_CGROUP_DEVICE
 * program built from the allow list the runtime decided (`--devrule TYPE:MAJOR:MINOR:ACCESS`,
 * `*` for any number) and attached to the zone's cgroup. Anything the list does not name is
 * refused. Attached with BPF_F_ALLOW_MULTI: every program on the way to the root must allow an
 * access, so nothing below the zone can widen it.
 */
#ifndef ZONES_DEVFILTER_H
#define ZONES_DEVFILTER_H

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct devrule {
  int type;              /* BPF_DEVCG_DEV_CHAR or BPF_DEVCG_DEV_BLOCK */
  int64_t major, minor;  /* -1: any */
  uint32_t access;       /* BPF_DEVCG_ACC_* bits */
};

#define DEVFILTER_MAX 1024

/* `c:1:3:rwm`, `c:136:*:rwm`; 0 or -1. */
static inline int parse_devrule(const char *s, struct devrule *r) {
  char t, maj[16], min[16], acc[8];
  if (sscanf(s, "%c:%15[^:]:%15[^:]:%7s", &t, maj, min, acc) != 4) return -1;
  if (t != 'c' && t != 'b') return -1;
  r->type = t == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK;
  r->major = strcmp(maj, "*") ? strtoll(maj, NULL, 10) : -1;
  r->minor = strcmp(min, "*") ? strtoll(min, NULL, 10) : -1;
  r->access = 0;
  for (const char *a = acc; *a; a++) {
    if (*a == 'r') r->access |= BPF_DEVCG_ACC_READ;
    else if (*a == 'w') r->access |= BPF_DEVCG_ACC_WRITE;
    else if (*a == 'm') r->access |= BPF_DEVCG_ACC_MKNOD;
    else return -1;
  }
  return 0;
}

static inline void devinsn(struct bpf_insn *p, int *n, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  if (*n < DEVFILTER_MAX) p[*n] = (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };
  (*n)++;
}

/*
 * r2 = device type, r3 = requested access, r4 = major, r5 = minor; a rule allows when the type
 * matches, the access is within the rule's and the numbers match; none matching: deny.
 */
static inline int build_devfilter(const struct devrule *rules, int nrules, struct bpf_insn *p) {
  int n = 0;
  devinsn(p, &n, BPF_LDX | BPF_MEM | BPF_W, 2, 1, 0, 0);
  devinsn(p, &n, BPF_ALU64 | BPF_MOV | BPF_X, 3, 2, 0, 0);
  devinsn(p, &n, BPF_ALU | BPF_AND | BPF_K, 2, 0, 0, 0xffff);
  devinsn(p, &n, BPF_ALU | BPF_RSH | BPF_K, 3, 0, 0, 16);
  devinsn(p, &n, BPF_LDX | BPF_MEM | BPF_W, 4, 1, 4, 0);
  devinsn(p, &n, BPF_LDX | BPF_MEM | BPF_W, 5, 1, 8, 0);
  for (int i = 0; i < nrules; i++) {
    const struct devrule *r = &rules[i];
    int len = 6 + (r->major >= 0) + (r->minor >= 0), left = len;
    /* each jump skips what is left of this rule's block */
    devinsn(p, &n, BPF_JMP | BPF_JNE | BPF_K, 2, 0, (int16_t)(--left), r->type);
    devinsn(p, &n, BPF_ALU64 | BPF_MOV | BPF_X, 1, 3, 0, 0); left--;
    devinsn(p, &n, BPF_ALU | BPF_AND | BPF_K, 1, 0, 0, (int32_t)~r->access); left--;
    devinsn(p, &n, BPF_JMP | BPF_JNE | BPF_K, 1, 0, (int16_t)(--left), 0);
    if (r->major >= 0) devinsn(p, &n, BPF_JMP | BPF_JNE | BPF_K, 4, 0, (int16_t)(--left), (int32_t)r->major);
    if (r->minor >= 0) devinsn(p, &n, BPF_JMP | BPF_JNE | BPF_K, 5, 0, (int16_t)(--left), (int32_t)r->minor);
    devinsn(p, &n, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
    devinsn(p, &n, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
  }
  devinsn(p, &n, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
  devinsn(p, &n, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
  return n > DEVFILTER_MAX ? -1 : n;
}

/* Loads the program and attaches it to the cgroup directory `dir`; 0, or -1 with errno. */
static inline int attach_devfilter(const char *dir, const struct devrule *rules, int nrules) {
  static struct bpf_insn prog[DEVFILTER_MAX];
  int n = build_devfilter(rules, nrules, prog);
  if (n < 0) { errno = E2BIG; return -1; }
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  a.insns = (uint64_t)(uintptr_t)prog;
  a.insn_cnt = (uint32_t)n;
  a.license = (uint64_t)(uintptr_t)"GPL";
  int pfd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof a);
  if (pfd < 0) return -1;
  int cfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cfd < 0) { int e = errno; close(pfd); errno = e; return -1; }
  memset(&a, 0, sizeof a);
  a.target_fd = (uint32_t)cfd;
  a.attach_bpf_fd = (uint32_t)pfd;
  a.attach_type = BPF_CGROUP_DEVICE;
  a.attach_flags = BPF_F_ALLOW_MULTI;
  int r = (int)syscall(SYS_bpf, BPF_PROG_ATTACH, &a, sizeof a);
  int e = errno;
  close(cfd);
  close(pfd); /* the attachment keeps the program for as long as the cgroup lives */
  errno = e;
  return r;
}

#endif
