/*
 * zoneadmd: the per-zone supervisor (the Linux counterpart of Solaris zoneadmd).
 *
 * One small process per ready/running zone. Started by the Node runtime (runtime/supervisor.ts)
 * with everything it needs on the command line; it
 *   - daemonizes with a handshake: the process Node started forks, the child calls setsid() and
 *     becomes the supervisor, the parent exits only once the zone's init has been exec'd (or the
 *     zone is ready) and prints `OK <zoneid> <init pid> <supervisor pid>` (or the error on stderr);
 *   - clones the zone's first process into new mount, pid, uts, ipc (+ net) namespaces; that
 *     process joins the zone cgroup, unshares its cgroup namespace, assembles the root, pivots
 *     into it, cuts its capabilities to the zone's limitpriv and execs the zone's init;
 *   - owns the console pty, appends everything it prints to the console log and serves one
 *     console client at a time on `<rundir>/console.sock` (protocol in docs/architecture.md);
 *   - reaps the init, and when it dies (or on `halt`/SIGTERM) kills what is left in the zone's
 *     cgroup, removes the cgroup and the runtime directory, and exits.
 *
 * Invoked as `zsched` (argv[0]) it is instead the minimal zone init: a PID 1 that reaps orphans
 * and exits on SIGTERM, SIGPWR, SIGINT or SIGRTMIN+3. The supervisor execs itself under that name
 * through a file descriptor opened before pivot_root, so the zone root needs no copy of it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <net/if.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAXLIST 64
#define REQMAX 1024
#define MAXPENDING 8

struct fsres { const char *type, *special, *dir, *opts; };

/* ---- configuration (from argv) ---- */
static const char *zname, *rundir, *logpath, *zroot;
static const char *cgdirs[MAXLIST]; static int ncg;
static const char *ipds[MAXLIST]; static int nipd;
static struct fsres fss[MAXLIST]; static int nfs;
static const char *devs[MAXLIST]; static int ndev;
static uint64_t capmask = ~0ULL;
static long long logmax = 1LL << 20; /* console log size at which it is rotated to <log>.0 */
static int netns, readymode, bootpending; /* bootpending: ready only until Node sends `boot` (network set-up) */
static char **bootv; static int nboot;

/* ---- supervisor state ---- */
static pid_t initpid = -1;
static int master = -1, slavekeep = -1, logfd = -1, lsock = -1, sfd = -1, exefd = -1;
static int stfd = -1, gofd = -1; /* status pipe from the zone process, go pipe to it */
static int client = -1, clientdflag; static pid_t clientpid;
static char bootstr[4096]; /* the boot arguments of the running init, for the console notices */
static int haltfd = -1;
static char slavepath[64];
struct pending { int fd; size_t len; char buf[REQMAX]; };
static struct pending pend[MAXPENDING];
static int cstate; static unsigned char cbuf[5]; static int cblen; /* console input framing */

static void die(const char *fmt, ...) {
  va_list ap; va_start(ap, fmt);
  fprintf(stderr, "zoneadmd: "); vfprintf(stderr, fmt, ap); fprintf(stderr, "\n");
  va_end(ap); exit(1);
}

static void usage(void) {
  die("usage: zoneadmd --zone NAME --rundir DIR --log FILE --root DIR [--cgroup DIR]... [--ipd DIR]... "
      "[--fs TYPE SPECIAL DIR OPTS]... [--device GLOB]... [--caps HEX] [--log-max BYTES] [--netns] [--ready | --boot-pending] [-- BOOTARGS...]");
}

/* ================================ minimal init ================================ */

static int zsched_main(int argc, char **argv) {
  /* exec'd through a descriptor, the kernel names it after the binary; ps should say zsched, as on Solaris */
  prctl(PR_SET_NAME, "zsched", 0, 0, 0);
  (void)argc; (void)argv;
  sigset_t all; sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, NULL);
  char host[65] = "";
  gethostname(host, sizeof host - 1);
  printf("zsched: zone '%s' booted (minimal init, pid %d)\n", host, (int)getpid());
  fflush(stdout);
  for (;;) {
    siginfo_t si;
    int sig = sigwaitinfo(&all, &si);
    if (sig == SIGCHLD) { while (waitpid(-1, NULL, WNOHANG) > 0) {} continue; }
    if (sig == SIGTERM || sig == SIGPWR || sig == SIGINT || sig == SIGRTMIN + 3) {
      printf("zsched: zone '%s' halting on signal %d\n", host, sig);
      fflush(stdout);
      return 0;
    }
  }
}

/* ================================ helpers ================================ */

static int write_all(int fd, const void *p, size_t n) {
  const char *c = p;
  while (n > 0) {
    ssize_t w = write(fd, c, n);
    if (w < 0) { if (errno == EINTR) continue; return -1; }
    c += w; n -= (size_t)w;
  }
  return 0;
}

static void write_runfile(const char *name, const char *fmt, ...) {
  char path[PATH_MAX], tmp[PATH_MAX], val[128];
  va_list ap; va_start(ap, fmt); vsnprintf(val, sizeof val, fmt, ap); va_end(ap);
  snprintf(path, sizeof path, "%s/%s", rundir, name);
  snprintf(tmp, sizeof tmp, "%s/.%s.tmp", rundir, name);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  write_all(fd, val, strlen(val));
  close(fd);
  rename(tmp, path);
}

static uint64_t parse_hex(const char *s) {
  char *end; errno = 0;
  unsigned long long v = strtoull(s, &end, 16);
  if (errno || *end) die("bad capability mask '%s'", s);
  return v;
}

/* ================================ zone process (child) ================================ */

static int child_st = -1; /* status pipe, write end */

static void cfail(const char *fmt, ...) {
  char msg[512]; int e = errno;
  va_list ap; va_start(ap, fmt); int n = vsnprintf(msg + 1, sizeof msg - 1, fmt, ap); va_end(ap);
  msg[0] = 'E';
  if (n < 0) n = 0;
  if ((size_t)n > sizeof msg - 2) n = (int)sizeof msg - 2;
  if (e) n += snprintf(msg + 1 + n, sizeof msg - 1 - (size_t)n, ": %s", strerror(e));
  write_all(child_st, msg, strlen(msg));
  _exit(127);
}

/* A path built in the zone process; too long = a setup error, never a silently cut path. */
static void pj(char *out, const char *fmt, ...) {
  va_list ap; va_start(ap, fmt); int n = vsnprintf(out, PATH_MAX, fmt, ap); va_end(ap);
  if (n < 0 || n >= PATH_MAX) { errno = ENAMETOOLONG; cfail("path %s...", out); }
}

static void mkdir_p(const char *path, mode_t mode) {
  char tmp[PATH_MAX];
  snprintf(tmp, sizeof tmp, "%s", path);
  for (char *p = tmp + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(tmp, mode) < 0 && errno != EEXIST) cfail("mkdir %s", tmp);
    *p = '/';
  }
  if (mkdir(tmp, mode) < 0 && errno != EEXIST) cfail("mkdir %s", tmp);
}

static char rootreal[PATH_MAX];

/* A host path inside the zone root for zone path `rel`, created (dir or empty file) and checked
 * not to resolve outside the root through a symlink the zone owns. */
static void in_root(char *out, const char *rel, int isdir) {
  char real[PATH_MAX];
  snprintf(out, PATH_MAX, "%s%s%s", zroot, rel[0] == '/' ? "" : "/", rel);
  if (isdir) mkdir_p(out, 0755);
  else {
    char parent[PATH_MAX]; snprintf(parent, sizeof parent, "%s", out);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) { *slash = 0; mkdir_p(parent, 0755); }
    int fd = open(out, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd >= 0) close(fd);
  }
  if (!realpath(out, real)) cfail("resolve %s", out);
  size_t n = strlen(rootreal);
  if (strncmp(real, rootreal, n) != 0 || (real[n] != '/' && real[n] != 0)) {
    errno = 0; cfail("%s resolves outside the zone root (%s)", rel, real);
  }
}

static unsigned long opt_flags(const char *opts, int *nosub, char *data, size_t dlen) {
  unsigned long f = 0;
  char buf[512]; snprintf(buf, sizeof buf, "%s", opts);
  data[0] = 0;
  for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    if (!strcmp(t, "ro")) f |= MS_RDONLY;
    else if (!strcmp(t, "rw") || !strcmp(t, "-")) {}
    else if (!strcmp(t, "nodevices") || !strcmp(t, "nodev")) f |= MS_NODEV;
    else if (!strcmp(t, "nosuid")) f |= MS_NOSUID;
    else if (!strcmp(t, "noexec")) f |= MS_NOEXEC;
    else if (!strcmp(t, "nosub")) *nosub = 1;
    else {
      size_t l = strlen(data);
      snprintf(data + l, dlen - l, "%s%s", l ? "," : "", t);
    }
  }
  return f;
}

static void bind_mount(const char *src, const char *dst, int rec, unsigned long flags) {
  if (mount(src, dst, NULL, MS_BIND | (rec ? MS_REC : 0), NULL) < 0) cfail("bind %s on %s", src, dst);
  if (flags && mount(NULL, dst, NULL, MS_BIND | MS_REMOUNT | flags, NULL) < 0) cfail("remount %s", dst);
}

static void make_node(const char *hostpath, const char *dst) {
  struct stat st;
  if (stat(hostpath, &st) < 0) return;
  if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)) return;
  char parent[PATH_MAX]; snprintf(parent, sizeof parent, "%s", dst);
  char *slash = strrchr(parent, '/'); if (slash) { *slash = 0; mkdir_p(parent, 0755); }
  unlink(dst);
  if (mknod(dst, st.st_mode, st.st_rdev) == 0) {
    if (chmod(dst, st.st_mode & 07777) < 0 || chown(dst, st.st_uid, st.st_gid) < 0) cfail("chmod %s", dst);
    return;
  }
  /* No mknod (e.g. a restricted host): bind the host node instead. */
  int fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) cfail("create %s", dst);
  close(fd);
  bind_mount(hostpath, dst, 0, 0);
}

static void setup_dev(void) {
  char dev[PATH_MAX], p[PATH_MAX];
  in_root(dev, "/dev", 1);
  if (mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k") < 0) cfail("mount /dev");
  static const char *nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
  for (size_t i = 0; i < sizeof nodes / sizeof *nodes; i++) {
    char h[64]; snprintf(h, sizeof h, "/dev/%s", nodes[i]);
    pj(p, "%s/%s", dev, nodes[i]);
    make_node(h, p);
  }
  pj(p, "%s/pts", dev);
  if (mkdir(p, 0755) < 0) cfail("mkdir %s", p);
  if (mount("devpts", p, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5") < 0 &&
      mount("devpts", p, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620") < 0)
    cfail("mount devpts");
  pj(p, "%s/ptmx", dev);
  if (symlink("pts/ptmx", p) < 0) cfail("symlink %s", p);
  pj(p, "%s/shm", dev);
  if (mkdir(p, 01777) < 0 || mount("shm", p, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=65536k") < 0) cfail("mount /dev/shm");
  static const char *links[][2] = {
    { "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" }, { "/proc/self/fd/1", "stdout" },
    { "/proc/self/fd/2", "stderr" },
  };
  for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
    pj(p, "%s/%s", dev, links[i][1]);
    if (symlink(links[i][0], p) < 0) cfail("symlink %s", p);
  }
  pj(p, "%s/console", dev);
  int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) cfail("create %s", p);
  close(fd);
  bind_mount(slavepath, p, 0, 0);
  /* add device match=...: every host node the glob matches, same number and owner. */
  for (int i = 0; i < ndev; i++) {
    if (strncmp(devs[i], "/dev/", 5) != 0) continue;
    glob_t g;
    if (glob(devs[i], GLOB_NOSORT, NULL, &g) != 0) continue;
    for (size_t j = 0; j < g.gl_pathc; j++) {
      if (strstr(g.gl_pathv[j], "/../")) continue;
      pj(p, "%s%s", zroot, g.gl_pathv[j]);
      make_node(g.gl_pathv[j], p);
    }
    globfree(&g);
  }
}

static void setup_proc_sys(void) {
  char p[PATH_MAX], q[PATH_MAX];
  in_root(p, "/proc", 1);
  if (mount("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) cfail("mount /proc");
  static const char *masked[] = { "kcore", "kallsyms", "keys", "sysrq-trigger", "timer_list" };
  for (size_t i = 0; i < sizeof masked / sizeof *masked; i++) {
    pj(q, "%s/%s", p, masked[i]);
    if (access(q, F_OK) == 0 && mount("/dev/null", q, NULL, MS_BIND, NULL) < 0) cfail("mask %s", q);
  }
  pj(q, "%s/sys", p);
  bind_mount(q, q, 0, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
  if (netns) { /* an exclusive-IP zone owns its network sysctls */
    pj(q, "%s/sys/net", p);
    bind_mount(q, q, 0, 0);
    if (mount(NULL, q, NULL, MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) cfail("remount %s", q);
  }
  in_root(p, "/sys", 1);
  if (mount("sysfs", p, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) cfail("mount /sys");
}

static void drop_caps(void) {
  for (int c = 0; c < 64; c++) {
    if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) < 0) break; /* past CAP_LAST_CAP */
    if (!(capmask >> c & 1) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0) cfail("drop capability %d", c);
  }
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[2];
  if (syscall(SYS_capget, &h, d) < 0) cfail("capget");
  for (int i = 0; i < 2; i++) {
    uint32_t m = (uint32_t)(capmask >> (32 * i));
    d[i].effective &= m; d[i].permitted &= m; d[i].inheritable &= m;
  }
  if (syscall(SYS_capset, &h, d) < 0) cfail("capset");
}

/*
 * Into the zone's cgroup in every hierarchy, before anything else. The zone process moves itself:
 * on v1, writing 0 to `tasks` moves the calling (only) thread without the threadgroup lock whose
 * release waits for an RCU grace period (cgroup.procs: 5-20 ms each time; tasks: ~0.05 ms). v2
 * has no `tasks` file and takes cgroup.procs.
 */
static void join_cgroups(void) {
  for (int i = 0; i < ncg; i++) {
    char p[PATH_MAX];
    pj(p, "%s/tasks", cgdirs[i]);
    int fd = open(p, O_WRONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) { pj(p, "%s/cgroup.procs", cgdirs[i]); fd = open(p, O_WRONLY | O_CLOEXEC); }
    if (fd < 0 || write(fd, "0", 1) != 1) cfail("join cgroup %s", cgdirs[i]);
    close(fd);
  }
}

static void zone_main(int gord) {
  char p[PATH_MAX];
  sigset_t none; sigemptyset(&none);
  signal(SIGPIPE, SIG_DFL);
  join_cgroups();
  /* 1. the console: a new session whose controlling terminal is the console pty */
  if (setsid() < 0) cfail("setsid");
  int s = open(slavepath, O_RDWR | O_CLOEXEC);
  if (s < 0) cfail("open %s", slavepath);
  if (ioctl(s, TIOCSCTTY, 0) < 0) cfail("TIOCSCTTY");
  /* 2. the root */
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) cfail("make / private");
  if (!realpath(zroot, rootreal)) cfail("zone root %s", zroot);
  zroot = rootreal;
  if (mount(zroot, zroot, NULL, MS_BIND | MS_REC, NULL) < 0) cfail("bind %s", zroot);
  for (int i = 0; i < nipd; i++) {
    struct stat st;
    if (stat(ipds[i], &st) < 0) cfail("inherit-pkg-dir %s", ipds[i]);
    in_root(p, ipds[i], 1);
    bind_mount(ipds[i], p, 0, MS_RDONLY | MS_NODEV); /* not recursive: Solaris' nosub */
  }
  for (int i = 0; i < nfs; i++) {
    int nosub = 0; char data[512];
    unsigned long fl = opt_flags(fss[i].opts, &nosub, data, sizeof data);
    if (!strcmp(fss[i].type, "lofs")) {
      struct stat st;
      if (stat(fss[i].special, &st) < 0) cfail("fs %s: special %s", fss[i].dir, fss[i].special);
      in_root(p, fss[i].dir, S_ISDIR(st.st_mode));
      bind_mount(fss[i].special, p, !nosub, fl);
    } else {
      in_root(p, fss[i].dir, 1);
      if (mount(fss[i].special, p, fss[i].type, fl, data[0] ? data : NULL) < 0)
        cfail("mount %s (%s) on %s", fss[i].special, fss[i].type, fss[i].dir);
    }
  }
  setup_proc_sys();
  setup_dev();
  if (sethostname(zname, strlen(zname)) < 0) cfail("sethostname");
  /* 3. pivot_root into the zone and drop the host's tree */
  if (chdir(zroot) < 0) cfail("chdir %s", zroot);
  if (syscall(SYS_pivot_root, ".", ".") < 0) cfail("pivot_root");
  if (umount2(".", MNT_DETACH) < 0) cfail("detach the old root");
  if (chdir("/") < 0) cfail("chdir /");
  /* An exclusive-IP zone's own loopback, up as on Solaris (lo0); its other interfaces arrive while it is ready. */
  if (netns) {
    int sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr; memset(&ifr, 0, sizeof ifr); strcpy(ifr.ifr_name, "lo");
    if (sk < 0 || ioctl(sk, SIOCGIFFLAGS, &ifr) < 0) cfail("loopback");
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(sk, SIOCSIFFLAGS, &ifr) < 0) cfail("bring up loopback");
    close(sk);
  }
  /* 4. a cgroup namespace rooted at the zone's cgroup (joined first thing), before anything of the zone runs */
  if (ncg && unshare(CLONE_NEWCGROUP) < 0) cfail("unshare cgroup namespace");
  /* 5. ready: wait for the boot arguments (EOF at once when booting straight away) */
  if (write_all(child_st, "R", 1) < 0) _exit(127);
  static char args[65536]; size_t len = 0;
  for (;;) {
    ssize_t r = read(gord, args + len, sizeof args - 1 - len);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    len += (size_t)r;
  }
  if (len == 0 || args[0] != 'B') _exit(0); /* halted while ready */
  close(gord);
  char *argv[256]; int argc = 0; const char *init = NULL;
  char *q = args + 1, *end = args + len;
  argv[argc++] = NULL; /* argv[0] filled below */
  while (q < end && argc < 254) {
    char *a = q; q += strlen(q) + 1;
    if (!strcmp(a, "-i") && q < end) { init = q; q += strlen(q) + 1; continue; }
    argv[argc++] = a;
  }
  argv[argc] = NULL;
  if (!init) init = access("/sbin/init", X_OK) == 0 ? "/sbin/init" : "zsched";
  /* 6. capabilities, console on 0-2, clean signal state, exec */
  drop_caps();
  dup2(s, 0); dup2(s, 1); dup2(s, 2);
  if (s > 2) close(s);
  for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
  sigprocmask(SIG_SETMASK, &none, NULL);
  char *envp[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=linux",
                   "HOME=/", "container=zone", NULL };
  if (!strcmp(init, "zsched")) {
    argv[0] = "zsched";
    fexecve(exefd, argv, envp);
    cfail("exec minimal init");
  }
  argv[0] = (char *)init;
  execve(init, argv, envp);
  cfail("exec %s", init);
}

/* ================================ supervisor ================================ */

static void unlink_run(const char *name) {
  char p[PATH_MAX]; snprintf(p, sizeof p, "%s/%s", rundir, name); unlink(p);
}

static int read_procs(const char *dir, pid_t *out, int max) {
  char p[PATH_MAX], buf[8192];
  snprintf(p, sizeof p, "%s/cgroup.procs", dir);
  int fd = open(p, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  int k = 0;
  for (char *save = NULL, *t = strtok_r(buf, "\n", &save); t && k < max; t = strtok_r(NULL, "\n", &save)) out[k++] = atoi(t);
  return k;
}

/* Removes a cgroup and the cgroups an init inside the zone made below it (systemd does), deepest first. */
static void rmdir_cgroup_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      char sub[PATH_MAX];
      if (snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name) < (int)sizeof sub) rmdir_cgroup_tree(sub);
    }
    closedir(d);
  }
  for (int tries = 0; tries < 50 && rmdir(dir) < 0 && errno == EBUSY; tries++) {
    struct timespec ts = { 0, 10 * 1000 * 1000 }; nanosleep(&ts, NULL);
  }
}

static void console_output(const unsigned char *buf, size_t n);
static void console_notice(const char *fmt, ...);

static void teardown(int status) {
  /* What the init printed last is still in the pty: log and deliver it before anything goes. */
  unsigned char buf[4096]; ssize_t r;
  while (master >= 0 && (r = read(master, buf, sizeof buf)) > 0) console_output(buf, (size_t)r);
  console_notice(clientdflag ? "NOTICE: Zone halted.  Disconnecting..." : "NOTICE: Zone halted");
  /* The pid namespace died with its init; anything that entered the cgroup without it goes too. */
  for (int round = 0; round < 200; round++) {
    int any = 0;
    for (int i = 0; i < ncg; i++) {
      pid_t pids[512]; int n = read_procs(cgdirs[i], pids, 512);
      for (int j = 0; j < n; j++) { kill(pids[j], SIGKILL); any = 1; }
    }
    if (!any) break;
    struct timespec ts = { 0, 10 * 1000 * 1000 }; nanosleep(&ts, NULL);
  }
  for (int i = ncg - 1; i >= 0; i--) rmdir_cgroup_tree(cgdirs[i]);
  static const char *files[] = { "console.sock", "state", "init.pid", "zoneadmd.pid", "zoneid", "caps" };
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) unlink_run(files[i]);
  rmdir(rundir);
  if (haltfd >= 0) write_all(haltfd, "OK\n", 3);
  (void)status;
  exit(0);
}

static void halt_zone(void) {
  if (initpid > 0) kill(initpid, SIGKILL); /* PID 1 of the namespace: the kernel kills the rest */
}

/* Sends the boot arguments to the waiting zone process; returns 0 once its init has been exec'd. */
static int start_init(char **args, int n, char *err, size_t errlen) {
  char buf[65536]; size_t len = 0, bl = 0;
  buf[len++] = 'B';
  bootstr[0] = 0;
  for (int i = 0; i < n; i++) {
    size_t l = strlen(args[i]) + 1;
    if (len + l > sizeof buf) break;
    memcpy(buf + len, args[i], l); len += l;
    bl += (size_t)snprintf(bootstr + bl, bl < sizeof bootstr ? sizeof bootstr - bl : 0, "%s%s", i ? " " : "", args[i]);
    if (bl >= sizeof bootstr) bl = sizeof bootstr - 1;
  }
  write_all(gofd, buf, len);
  close(gofd); gofd = -1;
  /* The status pipe is close-on-exec: EOF = init exec'd, 'E...' = it failed. */
  size_t got = 0; err[0] = 0;
  for (;;) {
    ssize_t r = read(stfd, err + got, errlen - 1 - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += (size_t)r;
  }
  err[got] = 0;
  close(stfd); stfd = -1;
  if (got > 0) { memmove(err, err + 1, got); return -1; }
  write_runfile("state", "running\n");
  return 0;
}

static void close_client(void) {
  if (client >= 0) close(client);
  client = -1; clientpid = 0; clientdflag = 0; cstate = 0; cblen = 0;
}

/* Past logmax the log becomes <log>.0 (the one before is dropped) and a new one starts. */
static void rotate_log(void) {
  struct stat st;
  if (logmax <= 0 || fstat(logfd, &st) < 0 || st.st_size < logmax) return;
  char old[PATH_MAX];
  if ((size_t)snprintf(old, sizeof old, "%s.0", logpath) >= sizeof old || rename(logpath, old) < 0) return;
  int fd = open(logpath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return; /* keep writing to the renamed one rather than lose output */
  dup3(fd, logfd, O_CLOEXEC); close(fd);
}

/* Console output: into the log always, to the client when one is attached. */
static void console_output(const unsigned char *buf, size_t n) {
  rotate_log();
  write_all(logfd, buf, n);
  if (client >= 0 && write(client, buf, n) < 0 && errno != EAGAIN) close_client();
}

/* A zone state notice for the console client only (illumos zoneadmd: `\r\n[NOTICE: ...]\r\n`, never logged). */
static void console_notice(const char *fmt, ...) {
  if (client < 0) return;
  char msg[4200] = "\r\n[";
  va_list ap; va_start(ap, fmt); vsnprintf(msg + 3, sizeof msg - 8, fmt, ap); va_end(ap);
  strcat(msg, "]\r\n");
  int fl = fcntl(client, F_GETFL);
  fcntl(client, F_SETFL, fl & ~O_NONBLOCK);
  write_all(client, msg, strlen(msg));
  fcntl(client, F_SETFL, fl);
}

static void boot_notice(void) {
  if (bootstr[0]) console_notice("NOTICE: Zone booting up with arguments: %s", bootstr);
  else console_notice("NOTICE: Zone booting up");
}

/* Console input: bytes go to the pty, except 0xFF escapes: FF FF = a literal FF,
 * FF 'W' rows(2, BE) cols(2, BE) = window size. */
static void console_input(const unsigned char *b, size_t n) {
  unsigned char out[4096]; size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = b[i];
    if (cstate == 0) {
      if (c == 0xFF) cstate = 1; else out[o++] = c;
    } else if (cstate == 1) {
      if (c == 0xFF) { out[o++] = 0xFF; cstate = 0; }
      else if (c == 'W') { cstate = 2; cblen = 0; }
      else cstate = 0;
    } else {
      cbuf[cblen++] = c;
      if (cblen == 4) {
        struct winsize ws = { 0 };
        ws.ws_row = (unsigned short)(cbuf[0] << 8 | cbuf[1]);
        ws.ws_col = (unsigned short)(cbuf[2] << 8 | cbuf[3]);
        ioctl(master, TIOCSWINSZ, &ws);
        cstate = 0;
      }
    }
    if (o == sizeof out) { write_all(master, out, o); o = 0; }
  }
  if (o) write_all(master, out, o);
}

static void handle_request(struct pending *pr) {
  int fd = pr->fd;
  char *nl = memchr(pr->buf, '\n', pr->len);
  *nl = 0;
  size_t rest = pr->len - (size_t)(nl + 1 - pr->buf);
  char *line = pr->buf;
  pr->fd = -1;
  if (!strcmp(line, "console") || !strcmp(line, "console -d")) {
    if (client >= 0) { dprintf(fd, "BUSY %d\n", (int)clientpid); close(fd); return; }
    struct ucred cr; socklen_t l = sizeof cr;
    clientpid = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &l) == 0 ? cr.pid : 0;
    clientdflag = line[7] != 0;
    /* The log offset from which this client gets the output live: what came before is in the log. */
    struct stat st;
    long long off = fstat(logfd, &st) == 0 ? (long long)st.st_size : 0;
    dprintf(fd, "OK %lld %s %s\n", off, gofd < 0 ? "running" : bootpending ? "booting" : "ready", bootstr);
    client = fd;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    if (rest) console_input((unsigned char *)nl + 1, rest);
  } else if (!strcmp(line, "halt")) {
    haltfd = fd;
    halt_zone();
  } else if (!strcmp(line, "status")) {
    dprintf(fd, "OK %s %d %d\n", gofd >= 0 ? "ready" : "running", (int)initpid, (int)getpid());
    close(fd);
  } else if (!strncmp(line, "boot", 4) && (line[4] == 0 || line[4] == '\t')) {
    if (gofd < 0) { dprintf(fd, "ERR zone is already booted\n"); close(fd); return; }
    char *args[256]; int n = 0;
    for (char *save = NULL, *t = strtok_r(line + 4, "\t", &save); t && n < 255; t = strtok_r(NULL, "\t", &save)) args[n++] = t;
    char err[512];
    int ok = start_init(args, n, err, sizeof err) == 0;
    if (ok) boot_notice();
    else console_notice(clientdflag ? "NOTICE: Zone boot failed.  Disconnecting..." : "NOTICE: Zone boot failed");
    if (ok) dprintf(fd, "OK %d\n", (int)initpid);
    else dprintf(fd, "ERR %s\n", err);
    close(fd);
  } else {
    dprintf(fd, "ERR unknown request\n");
    close(fd);
  }
}

static void accept_client(void) {
  int fd = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
  if (fd < 0) return;
  for (int i = 0; i < MAXPENDING; i++)
    if (pend[i].fd < 0) { pend[i].fd = fd; pend[i].len = 0; return; }
  dprintf(fd, "ERR too many connections\n");
  close(fd);
}

static void main_loop(void) {
  unsigned char buf[4096];
  for (;;) {
    struct pollfd pf[5 + MAXPENDING]; int n = 0;
    pf[n++] = (struct pollfd){ sfd, POLLIN, 0 };
    pf[n++] = (struct pollfd){ lsock, POLLIN, 0 };
    pf[n++] = (struct pollfd){ master, POLLIN, 0 };
    pf[n++] = (struct pollfd){ client, POLLIN, 0 }; /* fd -1 is ignored by poll */
    for (int i = 0; i < MAXPENDING; i++) pf[n++] = (struct pollfd){ pend[i].fd, POLLIN, 0 };
    if (poll(pf, (nfds_t)n, -1) < 0) { if (errno == EINTR) continue; die("poll: %s", strerror(errno)); }
    if (pf[0].revents) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGCHLD) {
          int st; pid_t w;
          while ((w = waitpid(-1, &st, WNOHANG)) > 0)
            if (w == initpid) teardown(st);
        } else if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
          halt_zone();
        }
      }
    }
    if (pf[2].revents & POLLIN) {
      ssize_t r = read(master, buf, sizeof buf);
      if (r > 0) console_output(buf, (size_t)r);
    }
    if (client >= 0 && pf[3].revents) {
      ssize_t r = read(client, buf, sizeof buf);
      if (r > 0) console_input(buf, (size_t)r);
      else if (r == 0 || errno != EAGAIN) close_client();
    }
    for (int i = 0; i < MAXPENDING; i++) {
      struct pending *pr = &pend[i];
      if (pr->fd < 0 || !pf[4 + i].revents) continue;
      ssize_t r = read(pr->fd, pr->buf + pr->len, sizeof pr->buf - pr->len);
      if (r <= 0) { close(pr->fd); pr->fd = -1; continue; }
      pr->len += (size_t)r;
      if (memchr(pr->buf, '\n', pr->len)) handle_request(pr);
      else if (pr->len == sizeof pr->buf) { close(pr->fd); pr->fd = -1; }
    }
    if (pf[1].revents & POLLIN) accept_client();
  }
}

static void parse_args(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
#define NEXT() (i + 1 < argc ? argv[++i] : (usage(), (char *)0))
    if (!strcmp(a, "--zone")) zname = NEXT();
    else if (!strcmp(a, "--rundir")) rundir = NEXT();
    else if (!strcmp(a, "--log")) logpath = NEXT();
    else if (!strcmp(a, "--root")) zroot = NEXT();
    else if (!strcmp(a, "--cgroup") && ncg < MAXLIST) cgdirs[ncg++] = NEXT();
    else if (!strcmp(a, "--ipd") && nipd < MAXLIST) ipds[nipd++] = NEXT();
    else if (!strcmp(a, "--device") && ndev < MAXLIST) devs[ndev++] = NEXT();
    else if (!strcmp(a, "--fs") && nfs < MAXLIST) {
      fss[nfs].type = NEXT(); fss[nfs].special = NEXT(); fss[nfs].dir = NEXT(); fss[nfs].opts = NEXT(); nfs++;
    }
    else if (!strcmp(a, "--caps")) capmask = parse_hex(NEXT());
    else if (!strcmp(a, "--log-max")) logmax = atoll(NEXT());
    else if (!strcmp(a, "--netns")) netns = 1;
    else if (!strcmp(a, "--ready")) readymode = 1;
    else if (!strcmp(a, "--boot-pending")) readymode = bootpending = 1;
    else if (!strcmp(a, "--")) { bootv = argv + i + 1; nboot = argc - i - 1; break; }
    else usage();
#undef NEXT
  }
  if (!zname || !rundir || !logpath || !zroot) usage();
}

int main(int argc, char **argv) {
  const char *base = strrchr(argv[0], '/');
  base = base ? base + 1 : argv[0];
  if (!strcmp(base, "zsched")) return zsched_main(argc, argv);
  parse_args(argc, argv);

  /* Daemonize with a handshake: the parent reports how the boot went, then exits. */
  int hs[2];
  if (pipe2(hs, O_CLOEXEC) < 0) die("pipe: %s", strerror(errno));
  pid_t d = fork();
  if (d < 0) die("fork: %s", strerror(errno));
  if (d > 0) {
    close(hs[1]);
    char msg[1024]; size_t got = 0;
    for (;;) {
      ssize_t r = read(hs[0], msg + got, sizeof msg - 1 - got);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      got += (size_t)r;
    }
    msg[got] = 0;
    if (!strncmp(msg, "OK ", 3)) { fputs(msg, stdout); return 0; }
    fprintf(stderr, "%s", got ? msg : "zoneadmd: supervisor exited during boot\n");
    return 1;
  }
  close(hs[0]);
  setsid();
  umask(022);
  int nul = open("/dev/null", O_RDWR);
  if (nul >= 0) { dup2(nul, 0); dup2(nul, 1); dup2(nul, 2); if (nul > 2) close(nul); }
  for (int i = 0; i < MAXPENDING; i++) pend[i].fd = -1;
#define FAIL(...) do { dprintf(hs[1], "zoneadmd: " __VA_ARGS__); dprintf(hs[1], ": %s\n", strerror(errno)); \
                       unlink_run("console.sock"); exit(1); } while (0)

  logfd = open(logpath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (logfd < 0) FAIL("console log %s", logpath);
  rotate_log();
  master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || ptsname_r(master, slavepath, sizeof slavepath))
    FAIL("console pty");
  /* Keep a slave open so the master never reads EOF/EIO while the zone has it closed. */
  slavekeep = open(slavepath, O_RDWR | O_NOCTTY | O_CLOEXEC);
  struct winsize ws = { 24, 80, 0, 0 };
  ioctl(master, TIOCSWINSZ, &ws);
  exefd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (exefd < 0) FAIL("open /proc/self/exe");

  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  if ((size_t)snprintf(sa.sun_path, sizeof sa.sun_path, "%s/console.sock", rundir) >= sizeof sa.sun_path) {
    errno = ENAMETOOLONG; FAIL("console socket %s/console.sock", rundir);
  }
  lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  unlink(sa.sun_path);
  mode_t old = umask(077);
  if (lsock < 0 || bind(lsock, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lsock, 8) < 0) FAIL("console socket %s", sa.sun_path);
  umask(old);

  sigset_t ss; sigemptyset(&ss);
  sigaddset(&ss, SIGCHLD); sigaddset(&ss, SIGTERM); sigaddset(&ss, SIGINT); sigaddset(&ss, SIGHUP);
  sigprocmask(SIG_BLOCK, &ss, NULL);
  signal(SIGPIPE, SIG_IGN);
  sfd = signalfd(-1, &ss, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0) FAIL("signalfd");

  int st[2], go[2];
  if (pipe2(st, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0) FAIL("pipe");
  long flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | (netns ? CLONE_NEWNET : 0) | SIGCHLD;
  pid_t c = (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);
  if (c < 0) FAIL("clone");
  if (c == 0) {
    close(hs[1]); close(st[0]); close(go[1]);
    close(master); close(lsock); close(logfd); close(sfd);
    if (slavekeep >= 0) close(slavekeep);
    child_st = st[1];
    zone_main(go[0]);
    _exit(127);
  }
  initpid = c;
  close(st[1]); close(go[0]);
  stfd = st[0]; gofd = go[1];
  write_runfile("zoneadmd.pid", "%d\n", (int)getpid());
  write_runfile("init.pid", "%d\n", (int)initpid);
  write_runfile("caps", "%llx\n", (unsigned long long)capmask);

  /* Wait for the zone process to be set up ('R') or to fail ('E...'). */
  char msg[512]; size_t got = 0;
  while (got == 0 || (msg[0] == 'E' && got < sizeof msg - 1)) {
    ssize_t r = read(stfd, msg + got, sizeof msg - 1 - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += (size_t)r;
  }
  msg[got] = 0;
  if (got == 0 || msg[0] != 'R') {
    dprintf(hs[1], "zoneadmd: zone '%s': %s\n", zname, got ? msg + 1 : "zone process died during setup");
    kill(initpid, SIGKILL); waitpid(initpid, NULL, 0);
    haltfd = -1; close(hs[1]);
    teardown(0);
  }
  write_runfile("state", "ready\n");
  if (!readymode) {
    char err[512];
    if (start_init(bootv, nboot, err, sizeof err) < 0) {
      dprintf(hs[1], "zoneadmd: zone '%s': %s\n", zname, err);
      waitpid(initpid, NULL, 0);
      close(hs[1]);
      teardown(0);
    }
  }
  dprintf(hs[1], "OK %d %d\n", (int)initpid, (int)getpid());
  close(hs[1]);
  main_loop();
  return 0;
}
