/*
 * zenter: enter a running zone (the process side of zlogin).
 *
 *   zenter -t PID [-g CGDIR]... [-c MASK] [-u USER] [-n] [-X FD]... [-i [-s FD] [-e C | -E]] [--] [command [args...]]
 *
 * Run as root by the Node zlogin (one exec; argv[0] names the program in messages, so Node
 * spawns it as `zlogin`). In this order it
 *   0. makes itself non-dumpable: no process of the zone may open its /proc entries (exe, mem,
 *      fd) while it is on its way in (the CVE-2019-5736 class),
 *   1. opens /proc/PID/ns/{user,cgroup,ipc,uts,net,pid,mnt} and /proc/PID/root of the zone's init,
 *      reads the zone's seccomp filter (-F) and connects to its supervisor (-T),
 *   2. joins the zone's cgroup: writes 0 (itself) to every DIR/tasks (v1) or DIR/cgroup.procs (v2)
 *      given with -g, before entering anything, so nothing of it ever runs in the zone outside the
 *      zone's cgroup,
 *   3. setns() into each namespace, the user namespace last, becomes the zone's root (its uid 0,
 *      an unprivileged host uid) and chroots to the init's root (the zone's `/`),
 *   4. resolves -u USER from the ZONE's /etc/passwd and /etc/group (read as plain files with
 *      fgetpwent/fgetgrent: no NSS module of the host or the zone is loaded),
 *   5. (-i) opens a new pty from the zone's devpts (`/dev/ptmx` inside the zone),
 *   6. forks (the pid namespace applies to children only); the child installs the zone's seccomp
 *      filter (with -T its clock calls go to the supervisor), cuts its capability bounding,
 *      permitted, effective and inheritable sets to -c, clears the ambient set, takes the user's
 *      groups, gid and uid, changes to the home directory, closes every descriptor but 0-2 and
 *      execs the command (no command: the user's shell from the zone's passwd as a login shell,
 *      argv[0] "-bash"; no -u: /bin/sh),
 *   7. the parent waits: non-interactive, the child (in a session of its own) inherits the
 *      caller's pipes and files as fds 0-2, while a terminal among them is relayed through a pipe
 *      (no process of the zone holds the caller's terminal); SIGINT, SIGQUIT, SIGTERM and SIGHUP
 *      are passed on to the command's process group, output is relayed until every writer has
 *      closed it (as ssh does: a daemon the command leaves holding stdout keeps zlogin waiting;
 *      `-n` or a redirect avoids it), and it exits with the command's status (128+N when killed
 *      by signal N);
 *      interactive (-i), it puts its terminal in raw mode
 *      and relays between it and the pty master, forwards window-size changes, handles the zlogin
 *      escape (~. disconnects, only at the beginning of a line), restores the terminal and exits
 *      with the shell's status (0 after ~.).
 *
 * Options:
 *   -t PID    host pid of the zone's init (required)
 *   -g DIR    a cgroup directory of the zone (repeatable; one per v1 hierarchy, one on v2)
 *   -c MASK   capabilities to keep, a hex mask 0x... (bit N = capability N; zlogin computes it
 *             from the zone's limitpriv, platform/capabilities.ts); absent: the sets are left as they are
 *   -u USER   run as USER of the zone (HOME, USER, LOGNAME, SHELL from its passwd entry);
 *             absent: root without a passwd lookup (failsafe), HOME=/ and SHELL=/bin/sh
 *   -n        stdin from /dev/null
 *   -X FD     the command runs with FD (0-2) closed: the caller's was (Node, which runs zenter,
 *             stands /dev/null in for it); closed just before the exec, so that nothing zenter
 *             opens meanwhile takes its number
 *   -i        interactive: new pty from the zone, raw relay with the escape character
 *   -s FD     with -i: write "pts/N\n" to FD once the pty exists, then wait for one byte (or EOF)
 *             before going raw and starting the session (Node prints its banner meanwhile)
 *   -e N      escape character, as the byte N (0-255) zlogin made of its -e argument (default ~); -E: none
 *   -F FILE   the zone's seccomp filter (BPF instructions, as its supervisor wrote them)
 *   -T SOCK   the supervisor's socket: the filter's clock calls go to it (a zone with sys_time)
 *   -W        the target may share zenter's user namespace (namespaces made without one: tests);
 *             without it such a target is refused, as its root would be the host's
 *   -m BYTES  RLIMIT_MEMLOCK of the command, soft = hard (the zone's zone.max-locked-memory), set
 *             while zenter is still host root: nothing in the zone can raise it again
 *   -S N=V    (repeatable) instead of running a command: join only the target's IPC and user
 *             namespaces, become the zone's root and write V to /proc/sys/N (the IPC rctls of a
 *             running zone, runtime/resource-controls.ts), then exit 0
 * The environment of the command is built from scratch: PATH, HOME, USER, LOGNAME, SHELL, and
 * TERM when zenter has one.
 * Exit status: the command's; 1 when entering the zone failed (message on stderr); 126/127
 * when the command cannot be executed.
 *
 * Live reconfiguration (`zonecfg -r`, runtime/live-apply.ts decides everything):
 *   zenter -t PID [-W] -M [-I] -- TYPE SPECIAL DIR MSFLAGS DATA
 *             mounts an fs in the running zone: a detached mount made here, in the host (MS_BIND:
 *             a copy of SPECIAL, recursive with MS_REC; else a new TYPE filesystem from SPECIAL
 *             with DATA's comma-separated options), given the flags of MSFLAGS (-I: idmapped to
 *             the zone's user namespace), then, in the zone's user and mount namespaces as the
 *             zone's root, attached onto DIR (made if missing), looked up with the zone's root as
 *             `/`; prints nothing, exits 0
 *   zenter -t PID [-W] -U -- DIR
 *             detaches the mount at DIR in the zone's mount namespace (exit 3: nothing is mounted there)
 */
#define _GNU_SOURCE
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <linux/openat2.h>
#include "zones.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

#define MAXCG 32
#define MAXGROUPS 256

static const char *prog = "zenter";
static pid_t target;
static const char *cgdirs[MAXCG];
static int ncg;
static int havecaps;
static uint64_t capmask;
static const char *user;
static int nullin, interactive, statusfd = -1, closedfds;
static int escchar = '~';
static char **cmd;
static const char *filterpath, *timesock;
static struct sock_filter filter[MAXINSNS];
static int nfilter, timefd = -1, sharedusers;
static long long memlock = -1;
static const char *sysctls[64];
static int nsysctl;
static int livemount, liveumount, liveidmap;

extern char **environ;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...) {
  va_list ap;
  char msg[1024];
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  dprintf(2, "%s: %s\n", prog, msg);
  exit(1);
}

static void usage(void) {
  dprintf(2, "usage: %s -t PID [-g CGDIR]... [-c MASK] [-u USER] [-n] [-X FD]... [-F FILTER [-T SOCK]] [-W] [-m BYTES] [-S N=V]... [-i [-s FD] [-e C | -E]] [--] [command [args ...]]\n"
             "       %s -t PID [-W] -M [-I] -- TYPE SPECIAL DIR MSFLAGS DATA\n       %s -t PID [-W] -U -- DIR\n",
          prog, prog, prog);
  exit(2);
}

/* -c: the mask zlogin decided (names and limitpriv are its business). */
static uint64_t parse_mask(const char *spec) {
  char *end;
  errno = 0;
  unsigned long long m = strncasecmp(spec, "0x", 2) ? 0 : strtoull(spec + 2, &end, 16);
  if (strncasecmp(spec, "0x", 2) || errno || *end || end == spec + 2) fail("bad capability mask %s", spec);
  return m;
}

/* -e: the byte zlogin made of its -e argument (zlogin/escape.ts parses the zlogin syntax). */
static int parse_byte(const char *spec) {
  char *end;
  errno = 0;
  long n = strtol(spec, &end, 10);
  if (errno || *end || end == spec || n < 0 || n > 255) fail("bad escape character %s", spec);
  return (int)n;
}

static void parse_args(int argc, char **argv) {
  int c;
  while ((c = getopt(argc, argv, "+t:g:c:u:nX:is:e:EF:T:Wm:S:MUI")) != -1) {
    switch (c) {
    case 't': target = (pid_t)atoi(optarg); break;
    case 'g':
      if (ncg == MAXCG) fail("too many cgroup directories");
      cgdirs[ncg++] = optarg;
      break;
    case 'c': havecaps = 1; capmask = parse_mask(optarg); break;
    case 'u': user = optarg; break;
    case 'n': nullin = 1; break;
    case 'X': {
      int fd = atoi(optarg);
      if (fd < 0 || fd > 2) usage();
      closedfds |= 1 << fd;
      break;
    }
    case 'i': interactive = 1; break;
    case 's': statusfd = atoi(optarg); break;
    case 'e': escchar = parse_byte(optarg); break;
    case 'E': escchar = -1; break;
    case 'F': filterpath = optarg; break;
    case 'T': timesock = optarg; break;
    case 'W': sharedusers = 1; break;
    case 'm': {
      char *end;
      errno = 0;
      memlock = strtoll(optarg, &end, 10);
      if (errno || *end || end == optarg || memlock < 0) fail("bad locked-memory limit %s", optarg);
      break;
    }
    case 'S':
      if (nsysctl == 64) fail("too many sysctls");
      sysctls[nsysctl++] = optarg;
      break;
    case 'M': livemount = 1; break;
    case 'U': liveumount = 1; break;
    case 'I': liveidmap = 1; break;
    default: usage();
    }
  }
  if (target <= 0) usage();
  cmd = argv + optind;
}

/* ---------------------------------------------------------------- entering */

/* The user namespace last: entered as the host's root, every other namespace of the zone is owned by it. */
static const char *const nsnames[] = { "cgroup", "ipc", "uts", "net", "pid", "mnt", "user" };
#define NNS (sizeof nsnames / sizeof *nsnames)

static int same_ns(int a, int b) {
  struct stat x, y;
  return fstat(a, &x) == 0 && fstat(b, &y) == 0 && x.st_ino == y.st_ino && x.st_dev == y.st_dev;
}

/* The zone's filter, read before entering (the file is the host's), and the supervisor's socket. */
static void prepare_kernel_surface(void) {
  if (!filterpath) return;
  int fd = open(filterpath, O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("could not read the zone's seccomp filter %s: %s", filterpath, strerror(errno));
  ssize_t n = read(fd, filter, sizeof filter);
  close(fd);
  if (n <= 0 || n % (ssize_t)sizeof *filter) fail("the zone's seccomp filter %s is malformed", filterpath);
  nfilter = (int)(n / (ssize_t)sizeof *filter);
  if (!timesock) return;
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  if (strlen(timesock) >= sizeof sa.sun_path) fail("socket path too long: %s", timesock);
  strcpy(sa.sun_path, timesock);
  timefd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (timefd < 0 || connect(timefd, (struct sockaddr *)&sa, sizeof sa) < 0)
    fail("could not reach the zone's supervisor at %s: %s", timesock, strerror(errno));
}

/* -S: the zone's IPC namespace, through its user namespace (which owns it), and nothing else. */
static int write_zone_sysctls(void) {
  static const char *const which[] = { "ipc", "user" };
  int fds[2];
  char p[64];
  for (int i = 0; i < 2; i++) {
    snprintf(p, sizeof p, "/proc/%d/ns/%s", (int)target, which[i]);
    fds[i] = open(p, O_RDONLY | O_CLOEXEC);
    if (fds[i] < 0) fail("could not enter zone (process %d): %s: %s", (int)target, p, strerror(errno));
  }
  snprintf(p, sizeof p, "/proc/self/ns/user");
  int own = open(p, O_RDONLY | O_CLOEXEC);
  if (own < 0 || same_ns(fds[1], own)) fail("could not enter zone (process %d): it has no user namespace of its own", (int)target);
  for (int i = 0; i < 2; i++)
    if (setns(fds[i], 0) < 0) fail("could not enter the zone's %s namespace: %s", which[i], strerror(errno));
  if (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
    fail("could not become the zone's root: %s", strerror(errno));
  for (int i = 0; i < nsysctl; i++)
    if (write_sysctl(sysctls[i]) < 0) fail("could not set %s in the zone: %s", sysctls[i], strerror(errno));
  return 0;
}

static void enter_zone(void) {
  int nsfd[NNS], own[NNS], rootfd;
  char p[4096];
  for (size_t i = 0; i < NNS; i++) {
    snprintf(p, sizeof p, "/proc/%d/ns/%s", (int)target, nsnames[i]);
    nsfd[i] = open(p, O_RDONLY | O_CLOEXEC);
    if (nsfd[i] < 0) fail("could not enter zone (process %d): %s: %s", (int)target, p, strerror(errno));
    snprintf(p, sizeof p, "/proc/self/ns/%s", nsnames[i]);
    own[i] = open(p, O_RDONLY | O_CLOEXEC);
    if (own[i] < 0) fail("%s: %s", p, strerror(errno));
  }
  snprintf(p, sizeof p, "/proc/%d/root", (int)target);
  rootfd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0) fail("could not enter zone (process %d): %s: %s", (int)target, p, strerror(errno));
  prepare_kernel_surface();
  /* The zone's cgroup first: everything from here on is accounted to and killed with the zone. */
  int bad = join_cgroups(cgdirs, ncg);
  if (bad >= 0) fail("could not join the zone's cgroup %s: %s", cgdirs[bad], strerror(errno));
  for (size_t i = 0; i < NNS; i++) {
    /* A shared-IP zone uses the host's network namespace; only -W lets a target share the host's
     * user namespace (namespaces made without one, in tests): a zone's root is never host root. */
    int same = same_ns(nsfd[i], own[i]);
    if (same && !strcmp(nsnames[i], "user") && !sharedusers) fail("could not enter zone (process %d): it has no user namespace of its own", (int)target);
    if (!same && setns(nsfd[i], 0) < 0)
      fail("could not enter the zone's %s namespace: %s", nsnames[i], strerror(errno));
    close(nsfd[i]);
    close(own[i]);
  }
  /* The zone's root: uid 0 of its user namespace, an unprivileged uid of the host. */
  if (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
    fail("could not become the zone's root: %s", strerror(errno));
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); /* a change of credentials may have reset it */
  if (fchdir(rootfd) < 0 || chroot(".") < 0 || chdir("/") < 0) fail("could not enter the zone's root: %s", strerror(errno));
  close(rootfd);
}

/* Installs the zone's filter; with -T, hands its listener to the supervisor, which sets the clock. */
static void install_zone_filter(void) {
  if (!nfilter) return;
  int lfd = install_filter(filter, nfilter, timefd >= 0);
  if (lfd < 0) fail("could not install the zone's seccomp filter: %s", strerror(errno));
  if (timefd < 0) return;
  static const char req[] = "time-listener\n";
  if (send_fd(timefd, req, sizeof req - 1, lfd) < 0) fail("could not reach the zone's supervisor: %s", strerror(errno));
  close(lfd);
  close(timefd);
  timefd = -1;
}

/* ---------------------------------------------------------------- the user */

struct who {
  uid_t uid;
  gid_t gid;
  gid_t groups[MAXGROUPS];
  int ngroups;
  char name[256], home[1024], shell[1024];
};

/* Opens a regular file of the zone for reading (never a fifo or a device the zone planted). */
static FILE *open_regular(const char *path) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 && errno == ELOOP) fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    errno = EINVAL;
    return NULL;
  }
  FILE *f = fdopen(fd, "r");
  if (!f) close(fd);
  return f;
}

static void lookup_user(const char *name, struct who *w) {
  FILE *f = open_regular("/etc/passwd");
  if (!f) fail("cannot read the zone's /etc/passwd: %s", strerror(errno));
  struct passwd *pw;
  int found = 0;
  while ((pw = fgetpwent(f)) != NULL) {
    if (strcmp(pw->pw_name, name)) continue;
    w->uid = pw->pw_uid;
    w->gid = pw->pw_gid;
    snprintf(w->name, sizeof w->name, "%s", pw->pw_name);
    snprintf(w->home, sizeof w->home, "%s", pw->pw_dir && *pw->pw_dir ? pw->pw_dir : "/");
    snprintf(w->shell, sizeof w->shell, "%s", pw->pw_shell && *pw->pw_shell ? pw->pw_shell : "/bin/sh");
    found = 1;
    break;
  }
  fclose(f);
  if (!found) fail("Unknown id: %s", name);
  w->ngroups = 0;
  w->groups[w->ngroups++] = w->gid;
  f = open_regular("/etc/group");
  if (!f) return; /* no /etc/group: the primary group only */
  struct group *gr;
  while ((gr = fgetgrent(f)) != NULL && w->ngroups < MAXGROUPS) {
    if (gr->gr_gid == w->gid) continue;
    for (char **m = gr->gr_mem; m && *m; m++)
      if (!strcmp(*m, name)) { w->groups[w->ngroups++] = gr->gr_gid; break; }
  }
  fclose(f);
}

/* ---------------------------------------------------------------- the child */

/* Non-interactive: which of fds 0-2 are the caller's terminal, and the pipes standing in for them. */
static int ttypipe[3][2] = { { -1, -1 }, { -1, -1 }, { -1, -1 } };

static void run_child(struct who *w, int slave, int master) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  /* A session of its own: the caller's terminal is never the zone's controlling terminal
   * (/dev/tty, TIOCSTI), and it gets no descriptor of it either (pipes, relayed, stand in). */
  if (setsid() < 0) fail("setsid: %s", strerror(errno));
  for (int fd = 0; fd < 3; fd++) {
    if (ttypipe[fd][0] < 0) continue;
    if (dup2(ttypipe[fd][fd == 0 ? 0 : 1], fd) < 0) fail("dup2: %s", strerror(errno));
  }
  if (interactive) {
    if (ioctl(slave, TIOCSCTTY, 0) < 0) fail("could not make the pty the controlling terminal: %s", strerror(errno));
    dup2(slave, 0);
    dup2(slave, 1);
    dup2(slave, 2);
    if (slave > 2) close(slave);
    close(master);
  }
  if (statusfd > 2) close(statusfd);
  /* The filter while the capability to install it is still held, the bounding set (needs
   * CAP_SETPCAP), then the identity, then what is left. */
  install_zone_filter();
  if (havecaps && cut_bounding_set(capmask) < 0) fail("could not drop capabilities: %s", strerror(errno));
  if (w) {
    if (setgroups((size_t)w->ngroups, w->groups) < 0) fail("setgroups: %s", strerror(errno));
    if (setgid(w->gid) < 0) fail("setgid %d: %s", (int)w->gid, strerror(errno));
    if (setuid(w->uid) < 0) fail("setuid %d: %s", (int)w->uid, strerror(errno));
  }
  /* A non-root user has no permitted or effective set left: only its inheritable set is cut. */
  if (havecaps && mask_capability_sets(capmask) < 0) fail("capset: %s", strerror(errno));
  const char *home = w ? w->home : "/";
  const char *shell = w ? w->shell : "/bin/sh";
  if (chdir(home) < 0) {
    dprintf(2, "%s: Could not chdir to home directory %s: %s\n", prog, home, strerror(errno));
    if (chdir("/") < 0) fail("chdir /: %s", strerror(errno));
  }
  static char e_path[128], e_home[1100], e_user[300], e_logname[300], e_shell[1100], e_term[300];
  char *envp[8];
  int n = 0;
  int root = !w || w->uid == 0;
  snprintf(e_path, sizeof e_path, "PATH=%s",
           root ? ZONE_ROOT_PATH : "/usr/local/bin:/usr/bin:/bin");
  envp[n++] = e_path;
  snprintf(e_home, sizeof e_home, "HOME=%s", home);
  envp[n++] = e_home;
  if (w) {
    snprintf(e_user, sizeof e_user, "USER=%s", w->name);
    envp[n++] = e_user;
    snprintf(e_logname, sizeof e_logname, "LOGNAME=%s", w->name);
    envp[n++] = e_logname;
  }
  snprintf(e_shell, sizeof e_shell, "SHELL=%s", shell);
  envp[n++] = e_shell;
  const char *term = getenv("TERM");
  if (term && strlen(term) < 256) {
    snprintf(e_term, sizeof e_term, "TERM=%s", term);
    envp[n++] = e_term;
  }
  envp[n] = NULL;
  environ = envp;
  for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
  /* Nothing the caller had open (a shell's fd 100...) may reach the zone. */
  syscall(SYS_close_range, 3, ~0U, 0);
  for (int fd = 0; fd < 3; fd++) if (closedfds & (1 << fd)) close(fd);
  if (cmd[0]) {
    execvp(cmd[0], cmd);
    int e = errno;
    dprintf(2, "%s: %s: %s\n", prog, cmd[0], strerror(e));
    _exit(e == ENOENT ? 127 : 126);
  }
  /* A login shell: argv[0] is "-" + the shell's base name. */
  const char *base = strrchr(shell, '/');
  base = base ? base + 1 : shell;
  static char argv0[1100];
  snprintf(argv0, sizeof argv0, "-%s", base);
  char *argv[] = { argv0, NULL };
  execv(shell, argv);
  int e = errno;
  dprintf(2, "%s: %s: %s\n", prog, shell, strerror(e));
  _exit(e == ENOENT ? 127 : 126);
}

static int status_code(int st) {
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return 1;
}

/* ---------------------------------------------------------------- non-interactive */

static volatile pid_t child = -1;

/* To the command's process group (it leads a session of its own), while it has not been reaped. */
static void forward(int sig) {
  if (child > 0) kill(-child, sig);
}

/* The child has a session of its own, so the terminal's signals reach only this process: passed on. */
static int wait_plain(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = forward;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGQUIT, &sa, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  int st;
  for (;;) {
    pid_t r = waitpid(child, &st, 0);
    if (r == child) {
      child = -1; /* its pid may be reused from here on */
      return status_code(st);
    }
    if (r < 0 && errno != EINTR) fail("waitpid: %s", strerror(errno));
  }
}

/*
 * Non-interactive with the caller's terminal on some of fds 0-2: its input goes to the command's
 * stdin pipe and the command's output pipes to the terminal. As with ssh, the output is relayed
 * until every process of the zone holding those pipes is done with them (a daemon should close
 * or redirect its stdio), then zlogin exits with the command's status; a signal after the
 * command has exited ends it at once. Terminal signals go to the command's process group. Input
 * is relayed only while zlogin is in the terminal's foreground (SIGTTIN ignored, EIO = background).
 */
static int relay_pipes(void) {
  sigset_t ss;
  sigemptyset(&ss);
  sigaddset(&ss, SIGCHLD); sigaddset(&ss, SIGTERM); sigaddset(&ss, SIGHUP); sigaddset(&ss, SIGINT); sigaddset(&ss, SIGQUIT);
  sigprocmask(SIG_BLOCK, &ss, NULL);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGTTIN, SIG_IGN);
  int sfd = signalfd(-1, &ss, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0) fail("signalfd: %s", strerror(errno));
  int in = ttypipe[0][1], out[2] = { ttypipe[1][0], ttypipe[2][0] };
  for (int fd = 0; fd < 3; fd++) if (ttypipe[fd][fd == 0 ? 0 : 1] >= 0) close(ttypipe[fd][fd == 0 ? 0 : 1]);
  if (in >= 0) fcntl(in, F_SETFL, fcntl(in, F_GETFL) | O_NONBLOCK);
  int status = 0, gone = 0, background = 0;
  unsigned char buf[8192], ibuf[4096];
  size_t ilen = 0, ioff = 0;
  while (out[0] >= 0 || out[1] >= 0 || !gone) {
    int readin = in >= 0 && ilen == 0 && !background;
    struct pollfd pf[5] = {
      { readin ? 0 : -1, POLLIN, 0 }, { ilen ? in : -1, POLLOUT, 0 },
      { out[0], POLLIN, 0 }, { out[1], POLLIN, 0 }, { sfd, POLLIN, 0 },
    };
    int r = poll(pf, 5, background ? 200 : -1);
    if (r < 0 && errno == EINTR) continue;
    background = 0;
    if (pf[0].revents) {
      ssize_t k = read(0, ibuf, sizeof ibuf);
      if (k > 0) { ilen = (size_t)k; ioff = 0; }
      else if (k < 0 && (errno == EIO || errno == EINTR || errno == EAGAIN)) background = errno == EIO;
      else { close(in); in = -1; } /* EOF on the terminal (^D) */
    }
    if (ilen && in >= 0) {
      ssize_t w = write(in, ibuf + ioff, ilen);
      if (w > 0) { ioff += (size_t)w; ilen -= (size_t)w; }
      else if (w < 0 && errno != EAGAIN && errno != EINTR) { close(in); in = -1; ilen = 0; } /* nobody reads it */
    }
    for (int i = 0; i < 2; i++) {
      if (out[i] < 0 || !pf[2 + i].revents) continue;
      ssize_t k = read(out[i], buf, sizeof buf);
      /* When the caller's end is gone (a hung-up terminal), the command's next write fails, as it
       * would on the host, instead of being read and dropped here for ever. */
      if (k > 0 ? write_all(1 + i, buf, (size_t)k) == 0 : k < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      close(out[i]); /* EOF, or the caller's end is gone */
      out[i] = -1;
    }
    if (pf[4].revents & POLLIN) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
        int st;
        if (si.ssi_signo == SIGCHLD) {
          if (!gone && waitpid(child, &st, WNOHANG) == child) {
            status = status_code(st);
            gone = 1;
            if (in >= 0) { close(in); in = -1; ilen = 0; }
          }
        } else if (!gone) kill(-child, (int)si.ssi_signo); /* the command's process group */
        else return status;
      }
    }
  }
  return status;
}

/* ---------------------------------------------------------------- interactive */

static struct termios saved;
static int rawtty;

static void restore_tty(void) {
  if (rawtty) tcsetattr(0, TCSADRAIN, &saved);
  rawtty = 0;
}

/* Raw mode as illumos zlogin sets it: no signals, no canonical input, no echo, no output processing. */
static void set_raw(void) {
  struct termios t = saved;
  t.c_iflag &= ~(ISTRIP | IXON | IXANY | INLCR | ICRNL | IGNCR | IUCLC);
  t.c_oflag &= ~OPOST;
  t.c_lflag &= ~(ICANON | ISIG | ECHO | IEXTEN);
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  if (tcsetattr(0, TCSAFLUSH, &t) == 0) rawtty = 1;
}

struct escstate { int bol, pending; };

static int is_cc(unsigned char c, int idx) {
  cc_t v = saved.c_cc[idx];
  return v != _POSIX_VDISABLE && c == v;
}

/*
 * The zlogin escape (illumos process_user_input): the rules of zlogin/escape.ts's EscapeFilter,
 * which serves `zlogin -C`, a second time. They must be here as well: an interactive login is
 * relayed by this process alone (zlogin hands it the terminal itself, not a pipe through Node),
 * and what ends a line are the terminal's own characters (termios c_cc), which only this process
 * reads. The escape character is zlogin's decision (-e); a change to these rules is made in both
 * places.
 * Returns the bytes to send in out; -1 = disconnect.
 */
static ssize_t filter_input(struct escstate *s, const unsigned char *in, size_t n, unsigned char *out) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = in[i];
    if (escchar >= 0 && s->bol) {
      s->bol = 0;
      if (c == (unsigned char)escchar) { s->pending = 1; continue; }
    } else if (s->pending) {
      s->pending = 0;
      if (c == '.' || is_cc(c, VEOF)) {
        char echo[8];
        int k = 0;
        echo[k++] = (char)escchar;
        if (c >= 32 && c < 127) echo[k++] = (char)c;
        else if (c < 32) { echo[k++] = '^'; echo[k++] = (char)(c + '@'); }
        else k += snprintf(echo + k, sizeof echo - (size_t)k, "\\%03o", c);
        write_all(1, echo, (size_t)k);
        return -1;
      }
    }
    out[o++] = c;
    s->bol = c == '\r' || c == '\n' || is_cc(c, VKILL) || is_cc(c, VEOL) || is_cc(c, VSUSP) || is_cc(c, VINTR);
  }
  return (ssize_t)o;
}

static int relay(int master, int sfd) {
  unsigned char ibuf[1024], obuf[1024], buf[8192];
  size_t pend = 0, off = 0;
  struct escstate es = { 1, 0 };
  int stdin_open = 1, status = 0, done = 0, child_gone = 0;
  while (!done) {
    struct pollfd pf[3] = {
      { master, POLLIN | (pend ? POLLOUT : 0), 0 },
      { stdin_open && !pend ? 0 : -1, POLLIN, 0 },
      { sfd, POLLIN, 0 },
    };
    if (poll(pf, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t r = read(master, buf, sizeof buf);
      if (r > 0) {
        if (write_all(1, buf, (size_t)r) < 0) break; /* the caller's output is gone: hang up */
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) break; /* EIO: every slave closed */
    }
    if (pend && (pf[0].revents & POLLOUT)) {
      ssize_t w = write(master, obuf + off, pend);
      if (w > 0) { off += (size_t)w; pend -= (size_t)w; }
      else if (w < 0 && errno != EAGAIN && errno != EINTR) break;
    }
    if (pf[1].revents) {
      ssize_t r = read(0, ibuf, sizeof ibuf);
      if (r > 0) {
        ssize_t k = filter_input(&es, ibuf, (size_t)r, obuf);
        if (k < 0) return 0; /* ~. */
        pend = (size_t)k;
        off = 0;
        ssize_t w = pend ? write(master, obuf, pend) : 0;
        if (w > 0) { off = (size_t)w; pend -= (size_t)w; }
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        /* EOF on a non-terminal stdin: end the shell's input as ^D would. */
        stdin_open = 0;
        unsigned char eof = 4;
        struct termios st;
        if (tcgetattr(master, &st) == 0 && st.c_cc[VEOF] != _POSIX_VDISABLE) eof = st.c_cc[VEOF];
        write_all(master, &eof, 1);
      }
    }
    if (pf[2].revents & POLLIN) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
        if (si.ssi_signo == SIGWINCH) {
          struct winsize ws;
          if (ioctl(0, TIOCGWINSZ, &ws) == 0) ioctl(master, TIOCSWINSZ, &ws);
        } else if (si.ssi_signo == SIGCHLD) {
          int st;
          if (waitpid(child, &st, WNOHANG) == child) { status = status_code(st); child_gone = 1; done = 1; }
        } else {
          done = 1; /* SIGTERM, SIGHUP, SIGINT: hang up; closing the master hangs the session up */
          status = 128 + (int)si.ssi_signo;
        }
      }
    }
  }
  /* The shell is gone: what it printed last may still be in the pty; take it, briefly. */
  if (child_gone) {
    for (;;) {
      struct pollfd pf = { master, POLLIN, 0 };
      if (poll(&pf, 1, 100) <= 0 || !(pf.revents & POLLIN)) break;
      ssize_t r = read(master, buf, sizeof buf);
      if (r <= 0) break;
      write_all(1, buf, (size_t)r);
    }
  } else {
    int st;
    if (!done && waitpid(child, &st, WNOHANG) == child) status = status_code(st);
  }
  return status;
}

/* ---------------------------------------------------------------- live mounts */

/* The zone's user namespace (its descriptor is kept: an idmapped mount needs it) and mount namespace. */
static int zone_userns = -1, zone_mntns = -1;

static void open_zone_mount_ns(void) {
  char p[64];
  snprintf(p, sizeof p, "/proc/%d/ns/user", (int)target);
  zone_userns = open(p, O_RDONLY | O_CLOEXEC);
  snprintf(p, sizeof p, "/proc/%d/ns/mnt", (int)target);
  zone_mntns = open(p, O_RDONLY | O_CLOEXEC);
  if (zone_userns < 0 || zone_mntns < 0) fail("could not enter zone (process %d): %s", (int)target, strerror(errno));
  int own = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
  if (own < 0) fail("/proc/self/ns/user: %s", strerror(errno));
  if (same_ns(zone_userns, own) && !sharedusers) fail("could not enter zone (process %d): it has no user namespace of its own", (int)target);
  close(own);
}

/* In the zone's user and mount namespaces as its root: `/` is now the zone's root. */
static void enter_zone_mounts(void) {
  int own = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
  if (own >= 0 && !same_ns(zone_userns, own) && setns(zone_userns, CLONE_NEWUSER) < 0)
    fail("could not enter the zone's user namespace: %s", strerror(errno));
  if (own >= 0) close(own);
  if (setns(zone_mntns, CLONE_NEWNS) < 0) fail("could not enter the zone's mount namespace: %s", strerror(errno));
  if (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
    fail("could not become the zone's root: %s", strerror(errno));
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (chdir("/") < 0) fail("could not enter the zone's root: %s", strerror(errno));
}

static int open_beneath_root(int rootfd, const char *rel, int flags) {
  struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC), .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
  return (int)syscall(SYS_openat2, rootfd, rel[0] ? rel : ".", &how, sizeof how);
}

/* An O_PATH descriptor of directory `zpath` of the zone (its root as `/`: a symlink of the zone's can
 * only lead inside it); with `create`, the missing directories are made, as the zone's root. */
static int zone_dir(const char *zpath, int create) {
  int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0) fail("open the zone's root: %s", strerror(errno));
  char path[PATH_MAX];
  const char *rel = zpath;
  while (*rel == '/') rel++;
  if ((size_t)snprintf(path, sizeof path, "%s", rel) >= sizeof path) fail("%s: %s", zpath, strerror(ENAMETOOLONG));
  for (char *p = path; ; p++) {
    if (*p != '/' && *p != 0) continue;
    char saved = *p;
    *p = 0;
    int fd = open_beneath_root(rootfd, path, O_PATH | O_DIRECTORY);
    if (fd < 0 && errno == ENOENT && create) {
      if (mkdirat(rootfd, path, 0755) < 0 && errno != EEXIST) fail("mount point %s in the zone: %s", zpath, strerror(errno));
      fd = open_beneath_root(rootfd, path, O_PATH | O_DIRECTORY);
    }
    if (fd < 0) fail("mount point %s in the zone: %s", zpath, strerror(errno));
    *p = saved;
    if (saved == 0) {
      close(rootfd);
      return fd;
    }
    close(fd);
  }
}

/* The detached mount of an fs resource, made in the host as the runtime decided it. */
static int detached_fs(const char *type, const char *special, unsigned long fl, const char *data) {
  int mfd;
  if (fl & MS_BIND) {
    mfd = open_tree(AT_FDCWD, special, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (fl & MS_REC ? AT_RECURSIVE : 0));
    if (mfd < 0) fail("copy the mount of %s: %s", special, strerror(errno));
    struct mount_attr a = { .attr_set = mount_attrs(fl) };
    if (a.attr_set && mount_setattr(mfd, "", AT_EMPTY_PATH | (fl & MS_REC ? AT_RECURSIVE : 0), &a, sizeof a) < 0)
      fail("mount flags of %s: %s", special, strerror(errno));
  } else {
    int fs = fsopen(type, FSOPEN_CLOEXEC);
    if (fs < 0) fail("%s: %s", type, strerror(errno));
    if (special[0] && fsconfig(fs, FSCONFIG_SET_STRING, "source", special, 0) < 0) fail("%s source %s: %s", type, special, strerror(errno));
    char opts[4096];
    if ((size_t)snprintf(opts, sizeof opts, "%s", data) >= sizeof opts) fail("%s: options too long", type);
    for (char *save = NULL, *o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
      char *eq = strchr(o, '=');
      if (eq) *eq = 0;
      if (fsconfig(fs, eq ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG, o, eq ? eq + 1 : NULL, 0) < 0)
        fail("%s option %s: %s", type, o, strerror(errno));
    }
    if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) fail("%s %s: %s", type, special, strerror(errno));
    mfd = fsmount(fs, FSMOUNT_CLOEXEC, (unsigned)mount_attrs(fl));
    if (mfd < 0) fail("mount %s %s: %s", type, special, strerror(errno));
    close(fs);
  }
  if (liveidmap) {
    struct mount_attr a = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)zone_userns };
    if (mount_setattr(mfd, "", AT_EMPTY_PATH | (fl & MS_REC ? AT_RECURSIVE : 0), &a, sizeof a) < 0)
      fail("idmap-fs %s %s: %s", type, special, strerror(errno));
  }
  return mfd;
}

static int live_mount(char **a) {
  if (!a[0] || !a[1] || !a[2] || !a[3] || !a[4] || a[5]) usage();
  char *end;
  errno = 0;
  unsigned long fl = strtoul(a[3], &end, 10);
  if (errno || *end || end == a[3]) fail("bad mount flags %s", a[3]);
  open_zone_mount_ns();
  int mfd = detached_fs(a[0], a[1], fl, a[4]);
  enter_zone_mounts();
  int t = zone_dir(a[2], 1);
  if (move_mount(mfd, "", t, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) fail("mount %s: %s", a[2], strerror(errno));
  return 0;
}

static int live_umount(char **a) {
  if (!a[0] || a[1]) usage();
  open_zone_mount_ns();
  enter_zone_mounts();
  int d = zone_dir(a[0], 0);
  /* The mount's own root is what "." names there: the top mount at DIR. */
  if (fchdir(d) < 0) fail("%s: %s", a[0], strerror(errno));
  if (umount2(".", MNT_DETACH) < 0) {
    if (errno == EINVAL) { dprintf(2, "%s: %s: not a mount point\n", prog, a[0]); return 3; }
    fail("unmount %s: %s", a[0], strerror(errno));
  }
  return 0;
}

int main(int argc, char **argv) {
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  const char *b = strrchr(argv[0], '/');
  prog = b ? b + 1 : argv[0];
  parse_args(argc, argv);
  if (livemount) return live_mount(cmd);
  if (liveumount) return live_umount(cmd);
  if (nsysctl > 0) return write_zone_sysctls();
  if (memlock >= 0) {
    struct rlimit rl = { (rlim_t)memlock, (rlim_t)memlock };
    if (setrlimit(RLIMIT_MEMLOCK, &rl) < 0) fail("could not set the zone's locked-memory limit: %s", strerror(errno));
  }
  if (statusfd >= 0) fcntl(statusfd, F_SETFD, FD_CLOEXEC);
  if (nullin) {
    int fd = open("/dev/null", O_RDONLY);
    if (fd < 0 || dup2(fd, 0) < 0) fail("/dev/null: %s", strerror(errno));
    if (fd > 0) close(fd);
  }
  enter_zone();

  struct who w;
  if (user) lookup_user(user, &w);

  int master = -1, slave = -1, sfd = -1;
  if (interactive) {
    master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) fail("failed to obtain a pseudo-tty in the zone: %s", strerror(errno));
    int unlock = 0, ptn = -1;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &ptn) < 0)
      fail("failed to set up the pseudo-tty: %s", strerror(errno));
    slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) {
      char p[64];
      snprintf(p, sizeof p, "/dev/pts/%d", ptn);
      slave = open(p, O_RDWR | O_NOCTTY | O_CLOEXEC);
      if (slave < 0) fail("failed to open %s: %s", p, strerror(errno));
    }
    if (isatty(0) && tcgetattr(0, &saved) == 0) {
      tcsetattr(slave, TCSANOW, &saved);
      struct winsize ws;
      if (ioctl(0, TIOCGWINSZ, &ws) == 0) ioctl(slave, TIOCSWINSZ, &ws);
      rawtty = -1; /* to be made raw */
    }
    if (statusfd >= 0) {
      char msg[32];
      int k = snprintf(msg, sizeof msg, "pts/%d\n", ptn);
      write_all(statusfd, msg, (size_t)k);
      char ack;
      while (read(statusfd, &ack, 1) < 0 && errno == EINTR) {}
      close(statusfd);
      statusfd = -1;
    }
    sigset_t ss;
    sigemptyset(&ss);
    sigaddset(&ss, SIGCHLD); sigaddset(&ss, SIGWINCH); sigaddset(&ss, SIGTERM);
    sigaddset(&ss, SIGHUP); sigaddset(&ss, SIGINT);
    sigprocmask(SIG_BLOCK, &ss, NULL);
    sfd = signalfd(-1, &ss, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0) fail("signalfd: %s", strerror(errno));
  } else {
    for (int fd = 0; fd < 3; fd++)
      if (isatty(fd) && pipe2(ttypipe[fd], O_CLOEXEC) < 0) fail("pipe: %s", strerror(errno));
    /* Until the parent's handlers are in place, a forwarded signal must not be lost. */
    sigset_t ss;
    sigemptyset(&ss);
    sigaddset(&ss, SIGTERM); sigaddset(&ss, SIGHUP); sigaddset(&ss, SIGINT); sigaddset(&ss, SIGQUIT);
    sigaddset(&ss, SIGCHLD);
    sigprocmask(SIG_BLOCK, &ss, NULL);
  }

  pid_t c = fork();
  if (c < 0) fail("could not fork in the zone: %s", strerror(errno));
  if (c == 0) {
    if (sfd >= 0) close(sfd);
    run_child(user ? &w : NULL, slave, master);
  }
  child = c;
  if (timefd >= 0) close(timefd); /* the child hands the listener over */
  if (!interactive) return ttypipe[0][0] >= 0 || ttypipe[1][0] >= 0 || ttypipe[2][0] >= 0 ? relay_pipes() : wait_plain();

  close(slave);
  fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
  if (rawtty == -1) { rawtty = 0; set_raw(); }
  int st = relay(master, sfd);
  restore_tty();
  return st;
}
