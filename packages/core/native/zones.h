/*
 * What both native helpers (zoneadmd, the supervisor; zenter, zlogin's helper) do the same way:
 * write a buffer whole, pass a descriptor over a unix socket, move themselves into the zone's
 * cgroups, build and install the zone's seccomp filter, cut their capabilities, and the PATH a
 * zone's root starts with. Header-only: each helper is one static binary.
 */
#ifndef ZONES_H
#define ZONES_H

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static inline int write_all(int fd, const void *p, size_t n) {
  const char *c = p;
  while (n > 0) {
    ssize_t w = write(fd, c, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        struct pollfd pf = { fd, POLLOUT, 0 };
        poll(&pf, 1, -1);
        continue;
      }
      return -1;
    }
    c += w;
    n -= (size_t)w;
  }
  return 0;
}

/* `len` bytes of `msg` with descriptor `fd` attached (SCM_RIGHTS); 0 or -1. */
static inline int send_fd(int sock, const void *msg, size_t len, int fd) {
  struct iovec iov = { (void *)msg, len };
  union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
  struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof fd);
  return sendmsg(sock, &m, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

/* `name=value`: writes value to /proc/sys/name, in the caller's namespaces (the zone's IPC and
 * user namespace: the IPC rctls, docs/resource-controls.md). 0, or -1 with errno (EINVAL: a name
 * that is not a plain sysctl path). */
static inline int write_sysctl(const char *spec) {
  const char *eq = strchr(spec, '=');
  char path[256];
  if (!eq || eq == spec || (size_t)(eq - spec) > 128 || strstr(spec, "..")) { errno = EINVAL; return -1; }
  for (const char *c = spec; c < eq; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '/')) { errno = EINVAL; return -1; }
  snprintf(path, sizeof path, "/proc/sys/%.*s", (int)(eq - spec), spec);
  int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return -1;
  int r = write_all(fd, eq + 1, strlen(eq + 1));
  int e = errno;
  close(fd);
  errno = e;
  return r;
}

/* The MOUNT_ATTR_* of the MS_* flags the runtime decided (needs <sys/mount.h>). */
#ifdef MOUNT_ATTR_RDONLY
static inline uint64_t mount_attrs(unsigned long ms) {
  return (ms & MS_RDONLY ? MOUNT_ATTR_RDONLY : 0) | (ms & MS_NODEV ? MOUNT_ATTR_NODEV : 0) |
         (ms & MS_NOSUID ? MOUNT_ATTR_NOSUID : 0) | (ms & MS_NOEXEC ? MOUNT_ATTR_NOEXEC : 0);
}
#endif

/* The PATH of a zone's root: its init's, and a zlogin as root. */
#define ZONE_ROOT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/*
 * Into the zone's payload cgroups, first thing. The process moves itself: on v1, writing 0 to
 * `tasks` moves the calling (only) thread without the threadgroup lock whose release waits for an
 * RCU grace period (cgroup.procs: 5-20 ms each time; tasks: ~0.05 ms). v2 has no `tasks` file and
 * takes cgroup.procs. Returns the index of the directory that failed, or -1.
 */
static inline int join_cgroups(const char *const *dirs, int n) {
  for (int i = 0; i < n; i++) {
    char p[4096];
    if ((size_t)snprintf(p, sizeof p, "%s/tasks", dirs[i]) >= sizeof p) { errno = ENAMETOOLONG; return i; }
    int fd = open(p, O_WRONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
      snprintf(p, sizeof p, "%s/cgroup.procs", dirs[i]);
      fd = open(p, O_WRONLY | O_CLOEXEC);
    }
    if (fd < 0 || write(fd, "0", 1) != 1) {
      int e = errno;
      if (fd >= 0) close(fd);
      errno = e;
      return i;
    }
    close(fd);
  }
  return -1;
}

/* The bounding set cut to `mask` (needs CAP_SETPCAP), the ambient set cleared. 0 or -1. */
static inline int cut_bounding_set(uint64_t mask) {
  for (int c = 0; c < 64; c++) {
    if (mask >> c & 1) continue;
    if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0) {
      if (errno == EINVAL) break; /* past the last capability of this kernel */
      return -1;
    }
  }
  return prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
}

/* Permitted, effective and inheritable sets cut to `mask`. 0 or -1. */
static inline int mask_capability_sets(uint64_t mask) {
  struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[2];
  if (syscall(SYS_capget, &h, d) < 0) return -1;
  for (int i = 0; i < 2; i++) {
    uint32_t m = (uint32_t)(mask >> (32 * i));
    d[i].effective &= m;
    d[i].permitted &= m;
    d[i].inheritable &= m;
  }
  return (int)syscall(SYS_capset, &h, d);
}

/* ---------------------------------------------------------------- seccomp */

/* One rule as the runtime decides it (`--syscall ARCH:NR:ACTION[:ARG:OP:VALUE]`, hex ARCH). */
struct sysrule {
  uint32_t arch, nr, ret;
  int arg;          /* -1: no argument condition */
  char op;          /* '&': any bit of val set; '=': equal */
  uint32_t val;
};

#define MAXINSNS 1024

/* Parses one `--syscall` value; 0 or -1. Actions: eN = errno N, n = the supervisor decides. */
static inline int parse_sysrule(const char *s, struct sysrule *r) {
  char act[16] = "", op = 0;
  unsigned arch, nr, val = 0;
  int arg = -1, n = 0;
  if (sscanf(s, "%x:%u:%15[^:]%n", &arch, &nr, act, &n) < 3) return -1;
  if (s[n] == ':' && sscanf(s + n, ":%d:%c:%u", &arg, &op, &val) != 3) return -1;
  if (s[n] && s[n] != ':') return -1;
  if (arg > 5 || (arg >= 0 && op != '&' && op != '=')) return -1;
  r->arch = arch; r->nr = nr; r->arg = arg; r->op = op; r->val = val;
  if (act[0] == 'n' && act[1] == 0) r->ret = SECCOMP_RET_USER_NOTIF;
  else if (act[0] == 'e' && act[1] >= '0' && act[1] <= '9') r->ret = SECCOMP_RET_ERRNO | (uint32_t)(atoi(act + 1) & SECCOMP_RET_DATA);
  else return -1;
  return 0;
}

static inline void emit(struct sock_filter *f, int *n, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf) {
  if (*n < MAXINSNS) f[*n] = (struct sock_filter){ code, jt, jf, k };
  (*n)++;
}

/*
 * The filter: for each architecture named by a rule, its rules in order (a match returns the
 * rule's action), then allow; the x32 ABI of x86_64 and every architecture no rule names are
 * refused outright (else a process could reach the same calls through another ABI). Returns the
 * number of instructions, or -1 when the program would not fit.
 */
static inline int build_filter(const struct sysrule *rules, int nrules, struct sock_filter *out) {
  int n = 0;
  emit(out, &n, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
  for (int i = 0; i < nrules; i++) {
    uint32_t arch = rules[i].arch;
    int seen = 0;
    for (int j = 0; j < i; j++) seen |= rules[j].arch == arch;
    if (seen) continue;
    struct sock_filter blk[MAXINSNS];
    int b = 0;
    emit(blk, &b, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
    if (arch == AUDIT_ARCH_X86_64) {
      emit(blk, &b, BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1); /* __X32_SYSCALL_BIT */
      emit(blk, &b, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS, 0, 0);
    }
    for (int j = i; j < nrules; j++) {
      const struct sysrule *r = &rules[j];
      if (r->arch != arch) continue;
      if (r->arg < 0) {
        emit(blk, &b, BPF_JMP | BPF_JEQ | BPF_K, r->nr, 0, 1);
        emit(blk, &b, BPF_RET | BPF_K, r->ret, 0, 0);
        continue;
      }
      /* Little-endian: the low 32 bits of args[i]. A miss on the argument reloads the number. */
      emit(blk, &b, BPF_JMP | BPF_JEQ | BPF_K, r->nr, 0, 4);
      emit(blk, &b, BPF_LD | BPF_W | BPF_ABS, (uint32_t)(offsetof(struct seccomp_data, args) + 8 * r->arg), 0, 0);
      emit(blk, &b, BPF_JMP | (r->op == '&' ? BPF_JSET : BPF_JEQ) | BPF_K, r->val, 0, 1);
      emit(blk, &b, BPF_RET | BPF_K, r->ret, 0, 0);
      emit(blk, &b, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
    }
    emit(blk, &b, BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
    if (b > 255 || b > MAXINSNS) return -1;
    emit(out, &n, BPF_JMP | BPF_JEQ | BPF_K, arch, 0, (uint8_t)b);
    for (int k = 0; k < b; k++) emit(out, &n, blk[k].code, blk[k].k, blk[k].jt, blk[k].jf);
  }
  emit(out, &n, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS, 0, 0);
  return n > MAXINSNS ? -1 : n;
}

/* Installs a filter on the calling thread; with `listener`, returns the notification fd (else 0); -1 on error. */
static inline int install_filter(struct sock_filter *f, int n, int listener) {
  struct sock_fprog prog = { (unsigned short)n, f };
  return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, listener ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0, &prog);
}

#endif
