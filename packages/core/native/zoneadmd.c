/*
 * zoneadmd: the per-zone supervisor (the Linux counterpart of Solaris zoneadmd).
 *
 * One small process per ready/running zone, started by the Node runtime (runtime/supervisor.ts)
 * with everything decided there on its command line; it
 *   - daemonizes with a handshake: the process Node started forks, the child calls setsid() and
 *     becomes the supervisor, the parent exits only once the zone's init has been exec'd (or the
 *     zone is ready) and prints `OK <init pid> <supervisor pid>` (or the error on stderr);
 *   - clones the zone's first process into a new user namespace (the zone's block of host ids),
 *     with new pid, uts, ipc (+ net) namespaces it owns; that process joins the zone's payload
 *     cgroup and unshares its cgroup namespace;
 *   - builds the zone's tree in a mount namespace of its own, as host root: the zone root and
 *     inherit-pkg-dirs through idmapped mounts, /proc (masked), /sys, /sys/fs/cgroup, /dev; the
 *     zone process then copies it into a mount namespace of its user namespace, where the kernel
 *     locks every mount flag and every mask (docs/security.md), pivots into it, installs the
 *     zone's seccomp filter, cuts its capabilities and execs the init;
 *   - owns the console pty, appends everything it prints to the console log and serves one
 *     console client at a time on `<rundir>/console.sock` (protocol in docs/architecture.md);
 *   - sets the host clock for a zone with `sys_time` (seccomp user notification);
 *   - reaps the init, and when it dies (or on `halt`/SIGTERM) kills what is left in the zone's
 *     cgroup, removes the cgroup and the runtime directory, and exits.
 *
 * Invoked as `zsched` (argv[0]) it is instead the minimal zone init: a PID 1 that reaps orphans
 * and exits on SIGTERM, SIGPWR, SIGINT or SIGRTMIN+3. The supervisor execs itself under that name
 * through a file descriptor opened before the zone existed, so the zone root needs no copy of it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <grp.h>
#include <linux/openat2.h>
#include "zones.h"
#include "devfilter.h"

#define MAXLIST 64
#define REQMAX 1024
#define MAXPENDING 8
#define MAXLISTEN 256 /* beyond that, a zlogin process of a sys_time zone gets ENOSYS from the clock calls */

struct fsres { const char *type, *special, *dir, *opts; };
struct cgfs { const char *name, *type, *opts; };

/* ---- configuration (from argv) ---- */
static const char *zname, *rundir, *logpath, *zroot;
static const char *cgdirs[MAXLIST]; static int ncg;     /* the zone's cgroups: removed at teardown */
static const char *joins[MAXLIST]; static int njoin;    /* its payload cgroups: where the zone runs */
static const char *ipds[MAXLIST]; static int nipd;
static struct fsres fss[MAXLIST]; static int nfs;
static const char *devs[MAXLIST]; static int ndev;      /* host device nodes the zone's /dev gets */
static struct devrule devrules[MAXLIST]; static int ndevrule;
static const char *devfilter_dir;                       /* v2: where the device program goes */
static struct cgfs cgfss[MAXLIST]; static int ncgfs;    /* /sys/fs/cgroup of the zone */
static const char *cglinks[MAXLIST][2]; static int ncglink;
static struct sysrule sysrules[256]; static int nsysrule;
static uid_t idu; static gid_t idg; static unsigned long idcount; /* zone id 0 = host idu/idg */
static uint64_t capmask = ~0ULL;
static long long logmax = 1LL << 20; /* console log size at which it is rotated to <log>.0 */
static int netns, readymode, bootpending; /* bootpending: ready only until Node sends `boot` (network set-up) */
static char **bootv; static int nboot;

/* ---- supervisor state ---- */
static pid_t initpid = -1;
static int master = -1, slavekeep = -1, logfd = -1, lsock = -1, sfd = -1, exefd = -1;
static int stfd = -1, gofd = -1; /* status socket from the zone process, go pipe to it */
static int client = -1, clientdflag; static pid_t clientpid;
static char bootstr[4096]; /* the boot arguments of the running init, for the console notices */
static int haltfd = -1;
static char slavepath[64];
struct pending { int fd, passed; size_t len; char buf[REQMAX]; };
static struct pending pend[MAXPENDING];
static int cstate; static unsigned char cbuf[5]; static int cblen; /* console input framing */
static struct sock_filter filter[MAXINSNS]; static int nfilter;
static int listeners[MAXLISTEN]; static int nlisten; /* seccomp notification fds (sys_time) */
static char rootreal[PATH_MAX];

static void die(const char *fmt, ...) {
  va_list ap; va_start(ap, fmt);
  fprintf(stderr, "zoneadmd: "); vfprintf(stderr, fmt, ap); fprintf(stderr, "\n");
  va_end(ap); exit(1);
}

static void usage(void) {
  die("usage: zoneadmd --zone NAME --rundir DIR --log FILE --root DIR --idmap UID:GID:COUNT [--cgroup DIR]... [--join DIR]... "
      "[--ipd DIR]... [--fs TYPE SPECIAL DIR OPTS]... [--device PATH]... [--devrule T:MAJ:MIN:ACC]... [--device-filter DIR] "
      "[--cgroupfs NAME:TYPE:OPTS]... [--cgroupfs-link NAME:TARGET]... [--syscall RULE]... [--caps HEX] [--log-max BYTES] "
      "[--netns] [--ready | --boot-pending] [-- BOOTARGS...]");
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

/* A message to whoever waits for the set-up: the zone process reports to the supervisor, the
 * supervisor to the process Node started. Both stop the boot. */
static int report_fd = -1;
static int in_zone_process;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...) {
  char msg[1024]; int e = errno;
  va_list ap; va_start(ap, fmt); int n = vsnprintf(msg + 1, sizeof msg - 1, fmt, ap); va_end(ap);
  msg[0] = 'E';
  if (n < 0) n = 0;
  if ((size_t)n > sizeof msg - 2) n = (int)sizeof msg - 2;
  if (e) n += snprintf(msg + 1 + n, sizeof msg - 1 - (size_t)n, ": %s", strerror(e));
  if (in_zone_process) { write_all(report_fd, msg, strlen(msg)); _exit(127); }
  dprintf(report_fd, "zoneadmd: zone '%s': %s\n", zname, msg + 1);
  if (initpid > 0) kill(initpid, SIGKILL);
  _exit(1);
}

/* A path built from parts; too long = a setup error, never a silently cut path. */
static void pj(char *out, const char *fmt, ...) {
  va_list ap; va_start(ap, fmt); int n = vsnprintf(out, PATH_MAX, fmt, ap); va_end(ap);
  if (n < 0 || n >= PATH_MAX) { errno = ENAMETOOLONG; fail("path %s...", out); }
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

static uint64_t mount_attrs(unsigned long ms) {
  return (ms & MS_RDONLY ? MOUNT_ATTR_RDONLY : 0) | (ms & MS_NODEV ? MOUNT_ATTR_NODEV : 0) |
         (ms & MS_NOSUID ? MOUNT_ATTR_NOSUID : 0) | (ms & MS_NOEXEC ? MOUNT_ATTR_NOEXEC : 0);
}

/* ================================ the zone's tree (supervisor, host root) ================================ */

/*
 * Every mount of the zone's tree goes onto a descriptor of its mount point, taken right before the
 * mount by a lookup in the tree as assembled so far, with the zone root as `/` (openat2
 * RESOLVE_IN_ROOT): a symlink the zone left in the way (in its root, or in a directory an earlier
 * `fs` mount brought in), absolute or full of `..`, can only lead somewhere inside the root, and
 * no mount, directory or file is ever made outside it. Nothing is mounted by a path string a later
 * lookup could take elsewhere.
 */
static int usernsfd = -1;
static int zrootfd = -1; /* the zone root, as assembled so far */

static void fdpath(char *out, int fd) { snprintf(out, 64, "/proc/self/fd/%d", fd); }

static int open_in_root(const char *rel, int flags) {
  struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC), .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
  return (int)syscall(SYS_openat2, zrootfd, rel[0] ? rel : ".", &how, sizeof how);
}

/* An O_PATH descriptor of zone path `zpath`; with `create`, missing directories (and an empty file
 * last when !isdir) are made on the way. A symlink to nothing in the root is refused. */
static int zone_path(const char *zpath, int isdir, int create) {
  char path[PATH_MAX];
  const char *rel = zpath;
  while (*rel == '/') rel++;
  if ((size_t)snprintf(path, sizeof path, "%s", rel) >= sizeof path) { errno = ENAMETOOLONG; fail("path %s", zpath); }
  for (char *p = path; ; p++) {
    if (*p != '/' && *p != 0) continue;
    int last = *p == 0;
    char saved = *p; *p = 0;
    int dirflags = last && !isdir ? O_PATH : O_PATH | O_DIRECTORY;
    int fd = open_in_root(path, dirflags);
    if (fd < 0 && errno == ENOENT && create) {
      char *slash = strrchr(path, '/');
      if (slash) *slash = 0;
      int parent = open_in_root(slash ? path : "", O_PATH | O_DIRECTORY);
      if (slash) *slash = '/';
      const char *name = slash ? slash + 1 : path;
      if (parent < 0) fail("mount point %s in the zone root", zpath);
      struct stat st;
      if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
        errno = 0;
        fail("%s: %s is a symbolic link to nothing in the zone root", zpath, path);
      }
      if (last && !isdir) {
        int f = openat(parent, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (f < 0) fail("mount point %s in the zone root", zpath);
        close(f);
      } else if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST) fail("mount point %s in the zone root", zpath);
      close(parent);
      fd = open_in_root(path, dirflags);
    }
    if (fd < 0) fail("mount point %s in the zone root", zpath);
    *p = saved;
    if (last) return fd;
    close(fd);
  }
}

/* A detached copy of the mount at `path` (relative to `dirfd`; "" = dirfd itself). */
static int clone_tree(int dirfd, const char *path, int rec) {
  int fd = open_tree(dirfd, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (rec ? AT_RECURSIVE : 0) | (path[0] ? 0 : AT_EMPTY_PATH));
  if (fd < 0) fail("copy the mount of %s", path[0] ? path : "a mount point");
  return fd;
}

/*
 * Mount attributes on a detached copy. With MOUNT_ATTR_IDMAP, host-root-owned files (the sparse
 * zone's /usr, setuid binaries) then belong to the zone's root inside while files on disk keep
 * their owners; a filesystem that cannot be idmapped fails with `idmap <what>` (the runtime says
 * which filesystem).
 */
static void set_attrs(int mfd, uint64_t set, uint64_t clr, int rec, const char *what) {
  if (!set && !clr) return;
  struct mount_attr a = { .attr_set = set, .attr_clr = clr, .userns_fd = set & MOUNT_ATTR_IDMAP ? (uint64_t)usernsfd : 0 };
  if (mount_setattr(mfd, "", AT_EMPTY_PATH | (rec ? AT_RECURSIVE : 0), &a, sizeof a) < 0) fail(set & MOUNT_ATTR_IDMAP ? "idmap %s" : "mount flags of %s", what);
}

/* Attaches a detached mount onto a mount point's descriptor; both are closed. */
static void attach(int mfd, int target, const char *what) {
  if (move_mount(mfd, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) fail("mount %s", what);
  close(mfd);
  close(target);
}

/* A classic mount (a new filesystem) onto a mount point's descriptor, which is closed. */
static void mount_at(const char *source, int target, const char *type, unsigned long flags, const char *data, const char *what) {
  char p[64]; fdpath(p, target);
  if (mount(source, p, type, flags, data) < 0) fail("mount %s", what);
  close(target);
}

/* A new node at `rel` below `dir` (the zone's /dev tmpfs), as the host's `hostpath`. */
static void make_node(int dir, const char *hostpath, const char *rel) {
  struct stat st;
  if (stat(hostpath, &st) < 0) fail("device %s", hostpath);
  if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)) { errno = 0; fail("device %s is not a device node", hostpath); }
  char sub[PATH_MAX]; snprintf(sub, sizeof sub, "%s", rel);
  for (char *s = sub; (s = strchr(s, '/')) != NULL; s++) { *s = 0; if (mkdirat(dir, sub, 0755) < 0 && errno != EEXIST) fail("mkdir /dev/%s", sub); *s = '/'; }
  unlinkat(dir, rel, 0);
  if (mknodat(dir, rel, st.st_mode, st.st_rdev) < 0) {
    /* No mknod (a restricted host): bind the host node instead. */
    int f = openat(dir, rel, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (f < 0) fail("create /dev/%s", rel);
    close(f);
    int t = openat(dir, rel, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (t < 0) fail("open /dev/%s", rel);
    attach(clone_tree(AT_FDCWD, hostpath, 0), t, hostpath);
    return;
  }
  /* The host's owner, as the zone sees ids: root's nodes are the zone root's, tty's its tty group's. */
  uid_t u = st.st_uid < idcount ? idu + st.st_uid : idu;
  gid_t g = st.st_gid < idcount ? idg + st.st_gid : idg;
  if (fchmodat(dir, rel, st.st_mode & 07777, 0) < 0 || fchownat(dir, rel, u, g, AT_SYMLINK_NOFOLLOW) < 0) fail("chmod /dev/%s", rel);
}

static int subdir(int dir, const char *name) {
  int fd = openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) fail("open %s", name);
  return fd;
}

static void setup_dev(void) {
  char opts[128];
  snprintf(opts, sizeof opts, "mode=755,size=65536k,uid=%u,gid=%u", (unsigned)idu, (unsigned)idg);
  mount_at("tmpfs", zone_path("dev", 1, 0), "tmpfs", MS_NOSUID | MS_STRICTATIME, opts, "/dev");
  int dev = zone_path("dev", 1, 0); /* the new tmpfs: the zone's, and nothing of the zone runs yet */
  int d = openat(dev, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  close(dev);
  if (d < 0) fail("open /dev");
  for (int i = 0; i < ndev; i++) {
    if (strncmp(devs[i], "/dev/", 5) != 0 || strstr(devs[i], "/../")) { errno = 0; fail("device %s is not under /dev", devs[i]); }
    make_node(d, devs[i], devs[i] + 5);
  }
  if (mkdirat(d, "pts", 0755) < 0) fail("mkdir /dev/pts");
  snprintf(opts, sizeof opts, "newinstance,ptmxmode=0666,mode=0620,gid=%u", (unsigned)(idg + 5));
  char p[64];
  int pts = subdir(d, "pts");
  fdpath(p, pts);
  if (mount("devpts", p, "devpts", MS_NOSUID | MS_NOEXEC, opts) < 0 &&
      mount("devpts", p, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620") < 0)
    fail("mount devpts");
  close(pts);
  if (symlinkat("pts/ptmx", d, "ptmx") < 0 || fchownat(d, "ptmx", idu, idg, AT_SYMLINK_NOFOLLOW) < 0) fail("symlink /dev/ptmx");
  snprintf(opts, sizeof opts, "mode=1777,size=65536k,uid=%u,gid=%u", (unsigned)idu, (unsigned)idg);
  if (mkdirat(d, "shm", 01777) < 0) fail("mkdir /dev/shm");
  mount_at("shm", subdir(d, "shm"), "tmpfs", MS_NOSUID | MS_NODEV, opts, "/dev/shm");
  static const char *links[][2] = {
    { "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" }, { "/proc/self/fd/1", "stdout" },
    { "/proc/self/fd/2", "stderr" },
  };
  for (size_t i = 0; i < sizeof links / sizeof *links; i++)
    if (symlinkat(links[i][0], d, links[i][1]) < 0 || fchownat(d, links[i][1], idu, idg, AT_SYMLINK_NOFOLLOW) < 0) fail("symlink /dev/%s", links[i][1]);
  int f = openat(d, "console", O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (f < 0) fail("create /dev/console");
  close(f);
  int t = openat(d, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (t < 0) fail("open /dev/console");
  attach(clone_tree(AT_FDCWD, slavepath, 0), t, "/dev/console");
  close(d);
}

/* Runs `fn` in the zone's namespace of `type` (the supervisor's own is kept and restored). */
static void in_zone_ns(const char *type, int nstype, void (*fn)(void)) {
  char p[64]; snprintf(p, sizeof p, "/proc/%d/ns/%s", (int)initpid, type);
  char self[64]; snprintf(self, sizeof self, "/proc/self/ns/%s", type);
  int zfd = open(p, O_RDONLY | O_CLOEXEC), mine = open(self, O_RDONLY | O_CLOEXEC);
  if (zfd < 0 || mine < 0 || setns(zfd, nstype) < 0) fail("enter the zone's %s namespace", type);
  fn();
  if (setns(mine, nstype) < 0) fail("leave the zone's %s namespace", type);
  close(zfd); close(mine);
}

static void mount_sysfs(void) {
  mount_at("sysfs", zone_path("sys", 1, 0), "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, "/sys");
}

/* /sys/fs/cgroup as the zone sees it: its hierarchies, mounted from inside its cgroup namespace
 * (rooted at its payload), on a read-only tmpfs. */
static void mount_cgroupfs(void) {
  char opts[128], p[64];
  if (ncgfs == 1 && !strcmp(cgfss[0].name, ".")) {
    mount_at("cgroup2", zone_path("sys/fs/cgroup", 1, 0), "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, "cgroup2 on /sys/fs/cgroup");
    return;
  }
  snprintf(opts, sizeof opts, "mode=755,uid=%u,gid=%u", (unsigned)idu, (unsigned)idg);
  mount_at("cgroup", zone_path("sys/fs/cgroup", 1, 0), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts, "/sys/fs/cgroup");
  int base = zone_path("sys/fs/cgroup", 1, 0), b = openat(base, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (b < 0) fail("open /sys/fs/cgroup");
  for (int i = 0; i < ncgfs; i++) {
    if (strchr(cgfss[i].name, '/') || mkdirat(b, cgfss[i].name, 0755) < 0) fail("mkdir /sys/fs/cgroup/%s", cgfss[i].name);
    mount_at("cgroup", subdir(b, cgfss[i].name), cgfss[i].type, MS_NOSUID | MS_NODEV | MS_NOEXEC, cgfss[i].opts[0] ? cgfss[i].opts : NULL, cgfss[i].name);
  }
  for (int i = 0; i < ncglink; i++)
    if (symlinkat(cglinks[i][1], b, cglinks[i][0]) < 0 && errno != EEXIST) fail("symlink /sys/fs/cgroup/%s", cglinks[i][0]);
  fdpath(p, base);
  if (mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) fail("remount /sys/fs/cgroup");
  close(b); close(base);
}

/* /proc of the zone's pid namespace: only a process in it can mount one, so a short-lived helper does. */
static int proctarget = -1;
static void mount_proc(void) {
  char p[64]; fdpath(p, proctarget);
  pid_t h = fork();
  if (h < 0) fail("fork");
  if (h == 0) _exit(mount("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 ? errno : 0);
  int st;
  while (waitpid(h, &st, 0) < 0) if (errno != EINTR) fail("wait");
  errno = WIFEXITED(st) ? WEXITSTATUS(st) : EIO;
  if (errno) fail("mount /proc");
}

static void setup_proc(void) {
  proctarget = zone_path("proc", 1, 0);
  in_zone_ns("pid", CLONE_NEWPID, mount_proc);
  close(proctarget);
  int proc = zone_path("proc", 1, 0); /* the new procfs */
  static const char *masked[] = { "kcore", "kallsyms", "keys", "sysrq-trigger", "timer_list" };
  for (size_t i = 0; i < sizeof masked / sizeof *masked; i++) {
    int t = openat(proc, masked[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (t < 0) { if (errno == ENOENT) continue; fail("/proc/%s", masked[i]); }
    attach(clone_tree(AT_FDCWD, "/dev/null", 0), t, masked[i]);
  }
  int sys = subdir(proc, "sys"), ro = clone_tree(sys, "", 0);
  set_attrs(ro, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, 0, 0, "/proc/sys");
  attach(ro, sys, "/proc/sys");
  if (netns) { /* an exclusive-IP zone owns its network sysctls */
    int net = openat(proc, "sys/net", O_PATH | O_DIRECTORY | O_CLOEXEC), rw = net < 0 ? -1 : clone_tree(net, "", 0);
    if (net < 0) fail("/proc/sys/net");
    set_attrs(rw, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, MOUNT_ATTR_RDONLY, 0, "/proc/sys/net");
    attach(rw, net, "/proc/sys/net");
  }
  close(proc);
}

/*
 * The zone's whole tree, in the supervisor's own mount namespace (owned by the host's user
 * namespace). The zone root's mount points are made first, on its plain directories: through an
 * idmapped mount host root could not create anything (its uid has no place in the zone's map).
 */
static void assemble_root(void) {
  zrootfd = open(rootreal, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (zrootfd < 0) fail("open %s", rootreal);
  for (const char *d = "proc\0sys\0dev\0"; *d; d += strlen(d) + 1) close(zone_path(d, 1, 1));
  for (int i = 0; i < nipd; i++) {
    struct stat st;
    if (stat(ipds[i], &st) < 0) fail("inherit-pkg-dir %s", ipds[i]);
    close(zone_path(ipds[i], 1, 1));
  }
  int fsdir[MAXLIST];
  for (int i = 0; i < nfs; i++) {
    struct stat st;
    fsdir[i] = 1;
    if (!strcmp(fss[i].type, "lofs")) {
      if (stat(fss[i].special, &st) < 0) fail("fs %s: special %s", fss[i].dir, fss[i].special);
      fsdir[i] = S_ISDIR(st.st_mode);
    }
    close(zone_path(fss[i].dir, fsdir[i], 1));
  }
  /* The root (nodev: device nodes live in the zone's /dev only), then what goes inside it. */
  int root = clone_tree(AT_FDCWD, rootreal, 1);
  set_attrs(root, MOUNT_ATTR_IDMAP | MOUNT_ATTR_NODEV, 0, 1, rootreal);
  attach(root, dup(zrootfd), rootreal);
  close(zrootfd);
  zrootfd = open(rootreal, O_PATH | O_DIRECTORY | O_CLOEXEC); /* the idmapped root now */
  if (zrootfd < 0) fail("open %s", rootreal);
  for (int i = 0; i < nipd; i++) {
    int t = zone_path(ipds[i], 1, 0), c = clone_tree(AT_FDCWD, ipds[i], 0); /* not recursive: Solaris' nosub */
    set_attrs(c, MOUNT_ATTR_IDMAP | MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV, 0, 0, ipds[i]);
    attach(c, t, ipds[i]);
  }
  for (int i = 0; i < nfs; i++) {
    int nosub = 0; char data[512];
    unsigned long fl = opt_flags(fss[i].opts, &nosub, data, sizeof data);
    /* made if missing: a mount point inside an earlier (writable) fs mount */
    int t = zone_path(fss[i].dir, fsdir[i], 1);
    if (!strcmp(fss[i].type, "lofs")) {
      /* Read-only: idmapped, the host's files owned as the zone sees ids. Writable: shared with the
       * zone's own host ids, so what its root creates there (a setuid binary...) is never host
       * root's on the host (docs/security.md). */
      int c = clone_tree(AT_FDCWD, fss[i].special, !nosub);
      set_attrs(c, mount_attrs(fl) | (fl & MS_RDONLY ? MOUNT_ATTR_IDMAP : 0), 0, !nosub, fss[i].special);
      attach(c, t, fss[i].dir);
      continue;
    }
    /* Mounted where it belongs (it is the zone's alone), then replaced by an idmapped copy of itself. */
    mount_at(fss[i].special, dup(t), fss[i].type, fl, data[0] ? data : NULL, fss[i].dir);
    int m = zone_path(fss[i].dir, fsdir[i], 0), c = clone_tree(m, "", 0);
    char p[64]; fdpath(p, m);
    if (umount2(p, MNT_DETACH) < 0) fail("fs %s", fss[i].dir);
    close(m);
    char what[PATH_MAX + 64]; snprintf(what, sizeof what, "-fs %s %s", fss[i].type, fss[i].dir);
    struct mount_attr a = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)usernsfd };
    if (mount_setattr(c, "", AT_EMPTY_PATH, &a, sizeof a) < 0) fail("idmap%s", what);
    attach(c, t, fss[i].dir);
  }
  setup_proc();
  if (netns) in_zone_ns("net", CLONE_NEWNET, mount_sysfs); /* /sys/class/net: the zone's interfaces */
  else mount_sysfs();
  if (ncgfs) in_zone_ns("cgroup", CLONE_NEWCGROUP, mount_cgroupfs);
  setup_dev();
  close(zrootfd);
  zrootfd = -1;
}

/* ================================ zone process (child) ================================ */

static void send_fd(int sock, char tag, int fd) {
  char c = tag;
  struct iovec iov = { &c, 1 };
  union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
  struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
  struct cmsghdr *c0 = CMSG_FIRSTHDR(&m);
  c0->cmsg_level = SOL_SOCKET; c0->cmsg_type = SCM_RIGHTS; c0->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c0), &fd, sizeof fd);
  if (sendmsg(sock, &m, MSG_NOSIGNAL) < 0) fail("pass the seccomp listener");
}

static int has_notify(void) {
  for (int i = 0; i < nsysrule; i++) if (sysrules[i].ret == SECCOMP_RET_USER_NOTIF) return 1;
  return 0;
}

static void read_byte(int fd, char want) {
  char c;
  ssize_t r;
  while ((r = read(fd, &c, 1)) < 0 && errno == EINTR) {}
  if (r != 1) _exit(0); /* the supervisor gave up: halted while setting up */
  if (c != want) { errno = EPROTO; fail("unexpected message from the supervisor"); }
}

static void zone_main(int gord) {
  in_zone_process = 1;
  sigset_t none; sigemptyset(&none);
  signal(SIGPIPE, SIG_DFL);
  /* 1. Once the id maps are written (the payload cgroups belong to the zone's root, which must be
   *    a mapped id), and still host uid 0 with no capability outside the new user namespace: the
   *    payload cgroups first, so nothing of the zone ever runs outside them, then a cgroup
   *    namespace rooted there. */
  read_byte(gord, 'U');
  int bad = join_cgroups(joins, njoin);
  if (bad >= 0) fail("join cgroup %s", joins[bad]);
  if (njoin && unshare(CLONE_NEWCGROUP) < 0) fail("unshare cgroup namespace");
  if (sethostname(zname, strlen(zname)) < 0) fail("sethostname");
  /* An exclusive-IP zone's own loopback, up as on Solaris (lo0); its other interfaces arrive while it is ready. */
  if (netns) {
    int sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr; memset(&ifr, 0, sizeof ifr); strcpy(ifr.ifr_name, "lo");
    if (sk < 0 || ioctl(sk, SIOCGIFFLAGS, &ifr) < 0) fail("loopback");
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(sk, SIOCSIFFLAGS, &ifr) < 0) fail("bring up loopback");
    close(sk);
  }
  if (write_all(report_fd, "N", 1) < 0) _exit(127);
  /* 2. The supervisor has written the id maps and built the tree: become the zone's root. */
  read_byte(gord, 'M');
  /* Into the root while still host uid 0: the zonepath (mode 0700, host root's) is not the zone's to traverse. */
  if (chdir(rootreal) < 0) fail("chdir %s", rootreal);
  if (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) fail("become the zone's root");
  /* The console (owned by the zone's root): a new session whose controlling terminal it is. */
  if (setsid() < 0) fail("setsid");
  int s = open(slavepath, O_RDWR | O_CLOEXEC);
  if (s < 0) fail("open %s", slavepath);
  if (ioctl(s, TIOCSCTTY, 0) < 0) fail("TIOCSCTTY");
  /* 3. A mount namespace of the zone's user namespace: a copy of the tree in which the kernel locks
   *    every mount together with its flags (ro, nosuid, nodev, noexec) and the masks over /proc. */
  if (unshare(CLONE_NEWNS) < 0) fail("unshare mount namespace");
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) fail("make / private");
  /* The root's copy is locked in place (pivoting onto it would lock the old root in turn): a fresh
   * recursive bind of it, entered through its descriptor, becomes the root instead. */
  int rfd = open_tree(AT_FDCWD, ".", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
  if (rfd < 0 || move_mount(rfd, "", AT_FDCWD, ".", MOVE_MOUNT_F_EMPTY_PATH) < 0 || fchdir(rfd) < 0) fail("bind the zone root");
  close(rfd);
  if (syscall(SYS_pivot_root, ".", ".") < 0) fail("pivot_root");
  if (umount2(".", MNT_DETACH) < 0) fail("detach the old root");
  if (chdir("/") < 0) fail("chdir /");
  /* 4. ready: wait for the boot arguments (EOF at once when booting straight away) */
  if (write_all(report_fd, "R", 1) < 0) _exit(127);
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
  /* 5. the kernel surface (inherited by every process of the zone), capabilities, console on 0-2,
   *    clean signal state, no descriptor but 0-2 past exec, exec */
  int lfd = install_filter(filter, nfilter, has_notify());
  if (lfd < 0) fail("install the seccomp filter");
  if (lfd > 0) { send_fd(report_fd, 'S', lfd); close(lfd); }
  if (cut_bounding_set(capmask) < 0 || mask_capability_sets(capmask) < 0) fail("cut capabilities");
  dup2(s, 0); dup2(s, 1); dup2(s, 2);
  if (s > 2) close(s);
  for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
  sigprocmask(SIG_SETMASK, &none, NULL);
  if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) fail("close_range");
  char *envp[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=linux",
                   "HOME=/", "container=zone", NULL };
  if (!strcmp(init, "zsched")) {
    argv[0] = "zsched";
    fexecve(exefd, argv, envp);
    fail("exec minimal init");
  }
  argv[0] = (char *)init;
  execve(init, argv, envp);
  fail("exec %s", init);
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

/* A subdirectory's path, on the heap: the zone may nest its cgroups deep, the stack stays small. */
static char *subpath(const char *dir, const char *name) {
  char *sub = NULL;
  return asprintf(&sub, "%s/%s", dir, name) < 0 ? NULL : sub;
}

/* Every process in a cgroup and below it (the payload, and what an init made inside it). */
static int kill_cgroup_tree(const char *dir) {
  static pid_t pids[512];
  int n = read_procs(dir, pids, 512), any = n > 0;
  for (int j = 0; j < n; j++) kill(pids[j], SIGKILL);
  DIR *d = opendir(dir);
  if (!d) return any;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char *sub = subpath(dir, e->d_name);
    if (sub) any |= kill_cgroup_tree(sub);
    free(sub);
  }
  closedir(d);
  return any;
}

/* Removes a cgroup and the cgroups below it (the payload, what systemd made inside), deepest first. */
static void rmdir_cgroup_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      char *sub = subpath(dir, e->d_name);
      if (sub) rmdir_cgroup_tree(sub);
      free(sub);
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
    for (int i = 0; i < ncg; i++) any |= kill_cgroup_tree(cgdirs[i]);
    if (!any) break;
    struct timespec ts = { 0, 10 * 1000 * 1000 }; nanosleep(&ts, NULL);
  }
  for (int i = ncg - 1; i >= 0; i--) rmdir_cgroup_tree(cgdirs[i]);
  static const char *files[] = { "console.sock", "state", "init.pid", "zoneadmd.pid", "zoneid", "caps", "pidns", "seccomp" };
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) unlink_run(files[i]);
  rmdir(rundir);
  if (haltfd >= 0) write_all(haltfd, "OK\n", 3);
  (void)status;
  exit(0);
}

static void halt_zone(void) {
  if (initpid > 0) kill(initpid, SIGKILL); /* PID 1 of the namespace: the kernel kills the rest */
}

/* Reads the zone process's report: its tag byte (and a passed descriptor), or `E<message>`. */
static char read_report(char *msg, size_t len) {
  char buf[1024];
  union { char c[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
  for (;;) {
    struct iovec iov = { buf, 1 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.c, .msg_controllen = sizeof u.c };
    ssize_t r = recvmsg(stfd, &m, MSG_CMSG_CLOEXEC);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return 0;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    if (c && c->cmsg_type == SCM_RIGHTS && nlisten < MAXLISTEN) memcpy(&listeners[nlisten++], CMSG_DATA(c), sizeof(int));
    if (buf[0] == 'S') continue; /* the seccomp listener: kept, the report goes on */
    if (buf[0] != 'E') return buf[0];
    size_t got = 0;
    while (got < len - 1) {
      ssize_t k = read(stfd, msg + got, len - 1 - got);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) break;
      got += (size_t)k;
    }
    msg[got] = 0;
    return 'E';
  }
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
  /* The status socket is close-on-exec: EOF = init exec'd, 'E...' = it failed. */
  char tag = read_report(err, errlen);
  close(stfd); stfd = -1;
  if (tag == 'E') return -1;
  if (tag) { snprintf(err, errlen, "unexpected report '%c' from the zone process", tag); return -1; }
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
  /* A client that does not read loses the notice rather than stall the supervisor. */
  if (send(client, msg, strlen(msg), MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && errno != EAGAIN) close_client();
}

static void boot_notice(void) {
  if (bootstr[0]) console_notice("NOTICE: Zone booting up with arguments: %s", bootstr);
  else console_notice("NOTICE: Zone booting up");
}

/* Into the pty without waiting: a zone that stops reading its console (a full input queue) must
 * not stall this loop, which also serves halt and sys_time. What does not fit is dropped, as a
 * terminal drops what is typed into a full input queue. */
static void pty_input(const unsigned char *b, size_t n) {
  while (n > 0) {
    ssize_t w = write(master, b, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    b += w; n -= (size_t)w;
  }
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
    if (o == sizeof out) { pty_input(out, o); o = 0; }
  }
  if (o) pty_input(out, o);
}

/* ---- sys_time: the host clock, set on the zone's behalf ---- */

/* The zone's own user namespace: CAP_SYS_TIME counts only there, not in one a zone process made. */
static struct stat zoneuserns;

static int in_zone_userns(pid_t tid) {
  char p[64]; snprintf(p, sizeof p, "/proc/%d/ns/user", (int)tid);
  struct stat st;
  return stat(p, &st) == 0 && st.st_ino == zoneuserns.st_ino && st.st_dev == zoneuserns.st_dev;
}

static int has_cap_sys_time(pid_t tid) {
  char p[64], line[256]; snprintf(p, sizeof p, "/proc/%d/status", (int)tid);
  FILE *f = fopen(p, "re");
  if (!f) return 0;
  unsigned long long eff = 0;
  while (fgets(line, sizeof line, f)) if (sscanf(line, "CapEff: %llx", &eff) == 1) break;
  fclose(f);
  return (int)(eff >> CAP_SYS_TIME & 1);
}

/*
 * One stopped clock call of a zone process: performed here, as the host's root, when the caller
 * holds CAP_SYS_TIME in the zone's own user namespace (what the kernel would check, had the zone
 * the host's); refused with EPERM otherwise, also for a user namespace the zone made itself. A
 * call that sets nothing (adjtimex/clock_adjtime reading, another clock) goes on in the kernel as
 * the caller made it. Memory is read only after the notification is known to be still valid.
 */
static void handle_clock(int lfd, struct seccomp_notif *req, struct seccomp_notif_resp *resp) {
  memset(resp, 0, sizeof *resp);
  resp->id = req->id;
  const __u64 *a = req->data.args;
  int nr = req->data.nr, mfd = -1, setting;
  char p[64]; snprintf(p, sizeof p, "/proc/%d/mem", (int)req->pid);
  struct timex tx;
  uint64_t txaddr = 0;
  if (nr == SYS_adjtimex || nr == SYS_clock_adjtime) {
    txaddr = nr == SYS_adjtimex ? a[0] : a[1];
    mfd = open(p, O_RDWR | O_CLOEXEC);
    if (mfd < 0 || ioctl(lfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0 ||
        pread(mfd, &tx, sizeof tx, (off_t)txaddr) != (ssize_t)sizeof tx) { resp->error = -EFAULT; goto out; }
    setting = tx.modes != 0 && tx.modes != ADJ_OFFSET_SS_READ && (nr == SYS_adjtimex || a[0] == CLOCK_REALTIME);
  } else {
    setting = nr == SYS_settimeofday || a[0] == CLOCK_REALTIME;
  }
  if (!setting) { resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE; goto out; }
  if (!in_zone_userns(req->pid) || !has_cap_sys_time(req->pid)) { resp->error = -EPERM; goto out; }
  if (mfd < 0) mfd = open(p, O_RDWR | O_CLOEXEC);
  if (mfd < 0 || ioctl(lfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0) { resp->error = -EFAULT; goto out; }
  long r;
  if (nr == SYS_clock_settime) {
    struct timespec ts;
    if (pread(mfd, &ts, sizeof ts, (off_t)a[1]) != (ssize_t)sizeof ts) { resp->error = -EFAULT; goto out; }
    r = clock_settime(CLOCK_REALTIME, &ts);
  } else if (nr == SYS_settimeofday) {
    struct timeval tv; struct timezone tz;
    if ((a[0] && pread(mfd, &tv, sizeof tv, (off_t)a[0]) != (ssize_t)sizeof tv) ||
        (a[1] && pread(mfd, &tz, sizeof tz, (off_t)a[1]) != (ssize_t)sizeof tz)) { resp->error = -EFAULT; goto out; }
    r = syscall(SYS_settimeofday, a[0] ? &tv : NULL, a[1] ? &tz : NULL);
  } else {
    r = adjtimex(&tx);
    if (r >= 0 && pwrite(mfd, &tx, sizeof tx, (off_t)txaddr) != (ssize_t)sizeof tx) { resp->error = -EFAULT; goto out; }
  }
  if (r < 0) resp->error = -errno; else resp->val = r;
out:
  if (mfd >= 0) close(mfd);
}

static void serve_listener(int i) {
  struct seccomp_notif req; struct seccomp_notif_resp resp;
  memset(&req, 0, sizeof req);
  if (ioctl(listeners[i], SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) return;
  handle_clock(listeners[i], &req, &resp);
  ioctl(listeners[i], SECCOMP_IOCTL_NOTIF_SEND, &resp); /* ENOENT: the caller was interrupted meanwhile */
}

static void drop_listener(int i) {
  close(listeners[i]);
  listeners[i] = listeners[--nlisten];
}

/* ---- the socket ---- */

static void handle_request(struct pending *pr) {
  int fd = pr->fd;
  char *nl = memchr(pr->buf, '\n', pr->len);
  *nl = 0;
  size_t rest = pr->len - (size_t)(nl + 1 - pr->buf);
  char *line = pr->buf;
  int passed = pr->passed;
  pr->fd = -1; pr->passed = -1;
  if (!strcmp(line, "console") || !strcmp(line, "console -d")) {
    if (client >= 0) { dprintf(fd, "BUSY %d\n", (int)clientpid); close(fd); if (passed >= 0) close(passed); return; }
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
  } else if (!strcmp(line, "time-listener")) {
    /* A zlogin process's seccomp listener: its clock calls are served here, like the init's. */
    if (passed >= 0 && nlisten < MAXLISTEN) { listeners[nlisten++] = passed; passed = -1; dprintf(fd, "OK\n"); }
    else dprintf(fd, "ERR no listener\n");
    close(fd);
  } else if (!strncmp(line, "boot", 4) && (line[4] == 0 || line[4] == '\t')) {
    if (gofd < 0) { dprintf(fd, "ERR zone is already booted\n"); close(fd); if (passed >= 0) close(passed); return; }
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
  if (passed >= 0) close(passed);
}

static void accept_client(void) {
  int fd = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
  if (fd < 0) return;
  for (int i = 0; i < MAXPENDING; i++)
    if (pend[i].fd < 0) { pend[i].fd = fd; pend[i].passed = -1; pend[i].len = 0; return; }
  dprintf(fd, "ERR too many connections\n");
  close(fd);
}

/* A request's bytes, and a descriptor passed along with them (SCM_RIGHTS). */
static ssize_t read_pending(struct pending *pr) {
  union { char c[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
  struct iovec iov = { pr->buf + pr->len, sizeof pr->buf - pr->len };
  struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.c, .msg_controllen = sizeof u.c };
  ssize_t r = recvmsg(pr->fd, &m, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
  struct cmsghdr *c = r > 0 ? CMSG_FIRSTHDR(&m) : NULL;
  if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
    int fd; memcpy(&fd, CMSG_DATA(c), sizeof fd);
    if (pr->passed >= 0) close(pr->passed);
    pr->passed = fd;
  }
  return r;
}

static void main_loop(void) {
  unsigned char buf[4096];
  for (;;) {
    struct pollfd pf[4 + MAXPENDING + MAXLISTEN]; int n = 0;
    pf[n++] = (struct pollfd){ sfd, POLLIN, 0 };
    pf[n++] = (struct pollfd){ lsock, POLLIN, 0 };
    pf[n++] = (struct pollfd){ master, POLLIN, 0 };
    pf[n++] = (struct pollfd){ client, POLLIN, 0 }; /* fd -1 is ignored by poll */
    for (int i = 0; i < MAXPENDING; i++) pf[n++] = (struct pollfd){ pend[i].fd, POLLIN, 0 };
    int nl = nlisten;
    for (int i = 0; i < nl; i++) pf[n++] = (struct pollfd){ listeners[i], POLLIN, 0 };
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
    for (int i = nl - 1; i >= 0; i--) {
      short ev = pf[4 + MAXPENDING + i].revents;
      if (ev & POLLIN) serve_listener(i);
      else if (ev & (POLLHUP | POLLERR | POLLNVAL)) drop_listener(i); /* every process of that filter is gone */
    }
    for (int i = 0; i < MAXPENDING; i++) {
      struct pending *pr = &pend[i];
      if (pr->fd < 0 || !pf[4 + i].revents) continue;
      ssize_t r = read_pending(pr);
      if (r <= 0) {
        if (r < 0 && errno == EAGAIN) continue;
        close(pr->fd); pr->fd = -1;
        if (pr->passed >= 0) { close(pr->passed); pr->passed = -1; }
        continue;
      }
      pr->len += (size_t)r;
      if (memchr(pr->buf, '\n', pr->len)) handle_request(pr);
      else if (pr->len == sizeof pr->buf) { close(pr->fd); pr->fd = -1; }
    }
    if (pf[1].revents & POLLIN) accept_client();
  }
}

/* NAME:TYPE:OPTS into three strings (a copy: ps keeps showing the command line as given). */
static void split3(const char *arg, const char **a, const char **b, const char **c) {
  char *s = strdup(arg);
  if (!s) die("out of memory");
  *a = s; *b = ""; *c = "";
  char *p = strchr(s, ':'); if (!p) return; *p++ = 0; *b = p;
  char *q = strchr(p, ':'); if (!q) return; *q++ = 0; *c = q;
}

static void parse_args(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
#define NEXT() (i + 1 < argc ? argv[++i] : (usage(), (char *)0))
#define ADD(arr, n) do { if ((n) >= MAXLIST) die("too many %s", a); (arr)[(n)++] = NEXT(); } while (0)
    if (!strcmp(a, "--zone")) zname = NEXT();
    else if (!strcmp(a, "--rundir")) rundir = NEXT();
    else if (!strcmp(a, "--log")) logpath = NEXT();
    else if (!strcmp(a, "--root")) zroot = NEXT();
    else if (!strcmp(a, "--cgroup")) ADD(cgdirs, ncg);
    else if (!strcmp(a, "--join")) ADD(joins, njoin);
    else if (!strcmp(a, "--ipd")) ADD(ipds, nipd);
    else if (!strcmp(a, "--device")) ADD(devs, ndev);
    else if (!strcmp(a, "--devrule")) {
      if (ndevrule >= MAXLIST || parse_devrule(NEXT(), &devrules[ndevrule++]) < 0) die("bad --devrule %s", argv[i]);
    } else if (!strcmp(a, "--device-filter")) devfilter_dir = NEXT();
    else if (!strcmp(a, "--cgroupfs")) {
      if (ncgfs >= MAXLIST) die("too many --cgroupfs");
      split3(NEXT(), &cgfss[ncgfs].name, &cgfss[ncgfs].type, &cgfss[ncgfs].opts);
      ncgfs++;
    } else if (!strcmp(a, "--cgroupfs-link")) {
      if (ncglink >= MAXLIST) die("too many --cgroupfs-link");
      const char *unused;
      split3(NEXT(), &cglinks[ncglink][0], &cglinks[ncglink][1], &unused);
      ncglink++;
    } else if (!strcmp(a, "--syscall")) {
      if (nsysrule >= (int)(sizeof sysrules / sizeof *sysrules) || parse_sysrule(NEXT(), &sysrules[nsysrule++]) < 0)
        die("bad --syscall %s", argv[i]);
    } else if (!strcmp(a, "--idmap")) {
      unsigned u, g; unsigned long c;
      if (sscanf(NEXT(), "%u:%u:%lu", &u, &g, &c) != 3 || c == 0) die("bad --idmap %s", argv[i]);
      idu = u; idg = g; idcount = c;
    } else if (!strcmp(a, "--fs")) {
      if (nfs >= MAXLIST) die("too many --fs");
      fss[nfs].type = NEXT(); fss[nfs].special = NEXT(); fss[nfs].dir = NEXT(); fss[nfs].opts = NEXT(); nfs++;
    }
    else if (!strcmp(a, "--caps")) capmask = parse_hex(NEXT());
    else if (!strcmp(a, "--log-max")) logmax = atoll(NEXT());
    else if (!strcmp(a, "--netns")) netns = 1;
    else if (!strcmp(a, "--ready")) readymode = 1;
    else if (!strcmp(a, "--boot-pending")) readymode = bootpending = 1;
    else if (!strcmp(a, "--")) { bootv = argv + i + 1; nboot = argc - i - 1; break; }
    else usage();
#undef ADD
#undef NEXT
  }
  if (!zname || !rundir || !logpath || !zroot || !idcount) usage();
}

static void write_map(const char *file, unsigned long start) {
  char p[64], v[64];
  snprintf(p, sizeof p, "/proc/%d/%s", (int)initpid, file);
  int n = snprintf(v, sizeof v, "0 %lu %lu\n", start, idcount);
  int fd = open(p, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write(fd, v, (size_t)n) != n) fail("write %s", p);
  close(fd);
}

int main(int argc, char **argv) {
  const char *base = strrchr(argv[0], '/');
  base = base ? base + 1 : argv[0];
  if (!strcmp(base, "zsched")) return zsched_main(argc, argv);
  /* Nothing the caller had open (a shell's fd 100...) may reach the zone. */
  syscall(SYS_close_range, 3, ~0U, 0);
  parse_args(argc, argv);
  nfilter = build_filter(sysrules, nsysrule, filter);
  if (nfilter < 0) die("the seccomp filter does not fit");

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
  report_fd = hs[1];
  setsid();
  umask(022);
  int nul = open("/dev/null", O_RDWR);
  if (nul >= 0) { dup2(nul, 0); dup2(nul, 1); dup2(nul, 2); if (nul > 2) close(nul); }
  for (int i = 0; i < MAXPENDING; i++) { pend[i].fd = -1; pend[i].passed = -1; }

  /* A mount namespace of the supervisor's own for the zone's tree: nothing is ever mounted in the
   * host's, and the host's unmounts still reach this one (slave). */
  if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) fail("mount namespace");
  if (!realpath(zroot, rootreal)) fail("zone root %s", zroot);
  logfd = open(logpath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (logfd < 0) fail("console log %s", logpath);
  rotate_log();
  master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || ptsname_r(master, slavepath, sizeof slavepath))
    fail("console pty");
  /* Keep a slave open so the master never reads EOF/EIO while the zone has it closed. The console
   * belongs to the zone's root (and its tty group), so the zone's init and getty may open it. */
  slavekeep = open(slavepath, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slavekeep < 0 || fchown(slavekeep, idu, idg + 5) < 0) fail("console %s", slavepath);
  struct winsize ws = { 24, 80, 0, 0 };
  ioctl(master, TIOCSWINSZ, &ws);
  exefd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (exefd < 0) fail("open /proc/self/exe");

  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  if ((size_t)snprintf(sa.sun_path, sizeof sa.sun_path, "%s/console.sock", rundir) >= sizeof sa.sun_path) {
    errno = ENAMETOOLONG; fail("console socket %s/console.sock", rundir);
  }
  lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  unlink(sa.sun_path);
  mode_t old = umask(077);
  if (lsock < 0 || bind(lsock, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lsock, 8) < 0) fail("console socket %s", sa.sun_path);
  umask(old);

  sigset_t ss; sigemptyset(&ss);
  sigaddset(&ss, SIGCHLD); sigaddset(&ss, SIGTERM); sigaddset(&ss, SIGINT); sigaddset(&ss, SIGHUP);
  sigprocmask(SIG_BLOCK, &ss, NULL);
  signal(SIGPIPE, SIG_IGN);
  sfd = signalfd(-1, &ss, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0) fail("signalfd");

  /* The filter as zlogin installs it too (zenter reads this file): one program for the whole zone. */
  char sp[PATH_MAX]; pj(sp, "%s/seccomp", rundir);
  int sf = open(sp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (sf < 0 || write_all(sf, filter, (size_t)nfilter * sizeof *filter) < 0) fail("write %s", sp);
  close(sf);
  if (devfilter_dir && attach_devfilter(devfilter_dir, devrules, ndevrule) < 0) fail("device filter on %s", devfilter_dir);

  int st[2], go[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, st) < 0 || pipe2(go, O_CLOEXEC) < 0) fail("pipe");
  long flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | (netns ? CLONE_NEWNET : 0) | SIGCHLD;
  pid_t c = (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);
  if (c < 0) fail("clone");
  if (c == 0) {
    close(hs[1]); close(st[0]); close(go[1]);
    close(master); close(lsock); close(logfd); close(sfd);
    if (slavekeep >= 0) close(slavekeep);
    report_fd = st[1];
    zone_main(go[0]);
    _exit(127);
  }
  initpid = c;
  close(st[1]); close(go[0]);
  stfd = st[0]; gofd = go[1];
  /* The zone's ids: 0..count-1 inside are the zone's block of host ids. */
  write_map("uid_map", idu);
  write_map("gid_map", idg);
  if (write_all(gofd, "U", 1) < 0) fail("signal the zone process");
  char p[PATH_MAX], link[64];
  pj(p, "/proc/%d/ns/user", (int)initpid);
  if (stat(p, &zoneuserns) < 0) fail("stat %s", p);
  pj(p, "/proc/%d/ns/pid", (int)initpid);
  ssize_t ll = readlink(p, link, sizeof link - 1);
  link[ll > 0 ? ll : 0] = 0;
  write_runfile("zoneadmd.pid", "%d\n", (int)getpid());
  write_runfile("init.pid", "%d\n", (int)initpid);
  write_runfile("caps", "%llx\n", (unsigned long long)capmask);
  write_runfile("pidns", "%s\n", link);

  char msg[512];
  char tag = read_report(msg, sizeof msg);
  if (tag == 'N') {
    pj(p, "/proc/%d/ns/user", (int)initpid);
    usernsfd = open(p, O_RDONLY | O_CLOEXEC);
    if (usernsfd < 0) fail("open %s", p);
    assemble_root();
    if (write_all(gofd, "M", 1) < 0) fail("signal the zone process");
    tag = read_report(msg, sizeof msg);
  }
  if (tag != 'R') {
    dprintf(hs[1], "zoneadmd: zone '%s': %s\n", zname, tag == 'E' ? msg : "zone process died during setup");
    kill(initpid, SIGKILL); waitpid(initpid, NULL, 0);
    haltfd = -1; close(hs[1]);
    teardown(0);
  }
  /* The zone has its own copy of the tree now; the supervisor's can go. */
  umount2(rootreal, MNT_DETACH);
  close(usernsfd); usernsfd = -1;
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
  report_fd = -1;
  main_loop();
  return 0;
}
