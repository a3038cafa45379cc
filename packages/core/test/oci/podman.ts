/**
 * podman for tests, private to one test file: its own storage, run and temporary directories
 * under a fresh temporary directory, its own containers.conf, and a cleanup that removes every
 * container, pod and image it made and then the directory. Nothing of the host's podman
 * (/var/lib/containers, /run/containers, /etc/containers) is read or written.
 *
 * What this host needs (docs/oci-image.md#podman-on-this-host):
 * - podman 4.3's default ulimits (nofile 1048576, nproc) exceed the hard limits here and the
 *   bounding set lacks cap_sys_resource, so the runtime's setrlimit fails: the test
 *   containers.conf sets `default_ulimits = []` and the container keeps podman's own limits.
 * - crun refuses the cgroup v1 + v2 hybrid layout ("cgroups in hybrid mode not supported"), even
 *   with --cgroups=disabled: runc (the default here) runs it; crun runs when podman is started
 *   in a private mount namespace without /sys/fs/cgroup/unified (`runtime: 'crun'`). That
 *   namespace ends with the podman command, so crun is for attached `podman run --rm` only;
 *   anything that outlives one command (a pod of `kube play`, `run -d`) uses runc.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type OciRuntime = 'runc' | 'crun';

export interface PodmanRunOptions {
  /** Kill podman after this long (ms); default 60 s. */
  timeoutMs?: number;
  input?: string;
  /** Run under this runtime instead of the harness's default. */
  runtime?: OciRuntime;
}

export interface Podman {
  /** The temporary directory holding storage, run dir, tmp dir and containers.conf. */
  dir: string;
  /** The podman command line prefix (binary and global flags) for the default runtime. */
  argv: string[];
  /** The environment podman runs with (CONTAINERS_CONF pointing at the test's file). */
  env: NodeJS.ProcessEnv;
  /** Runs `podman <args>` with the private storage. */
  podman(args: string[], opts?: PodmanRunOptions): SpawnSyncReturns<string>;
  /** Removes every container, pod and image, unmounts what podman left under `dir`, removes it. */
  cleanup(): void;
}

/** Why podman cannot run here, or undefined when it can (root, podman, runc on PATH). */
export function podmanMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'podman tests need root';
  for (const tool of ['podman', 'runc']) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) return `${tool} is not installed (scripts/install-deps.sh)`;
  }
  return undefined;
}

/** Whether crun is installed (the crun variant of a test skips without it). */
export function hasCrun(): boolean {
  return spawnSync('crun', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The mount points under `dir` (podman's shm and overlay mounts), deepest first. */
function mountsUnder(dir: string): string[] {
  const lines = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  const points = lines.map((l) => l.split(' ')[4]).filter((p): p is string => p !== undefined && (p === dir || p.startsWith(`${dir}/`)));
  return points.sort((a, b) => b.length - a.length);
}

export function podmanHarness(defaultRuntime: OciRuntime = 'runc'): Podman {
  const dir = mkdtempSync(join(tmpdir(), 'zones-podman-'));
  for (const d of ['root', 'run', 'tmp']) mkdirSync(join(dir, d));
  const conf = join(dir, 'containers.conf');
  writeFileSync(
    conf,
    [
      '[containers]',
      'default_ulimits = []',
      '[engine]',
      `runtime = "${defaultRuntime}"`,
      'cgroup_manager = "cgroupfs"',
      'events_logger = "file"',
      `events_logfile_path = "${join(dir, 'events.log')}"`,
      '',
    ].join('\n'),
  );
  const argv = ['podman', '--root', join(dir, 'root'), '--runroot', join(dir, 'run'), '--tmpdir', join(dir, 'tmp'), '--storage-driver', 'vfs'];
  const env = { ...process.env, CONTAINERS_CONF: conf };

  const podman = (args: string[], opts: PodmanRunOptions = {}): SpawnSyncReturns<string> => {
    const runtime = opts.runtime ?? defaultRuntime;
    const cmd = [...argv, ...(runtime !== defaultRuntime ? ['--runtime', runtime] : []), ...args];
    const full =
      runtime === 'crun'
        ? ['unshare', '-m', '--propagation', 'private', 'sh', '-c', 'if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified || exit 125; fi; exec "$@"', 'sh', ...cmd]
        : cmd;
    return spawnSync(full[0]!, full.slice(1), { env, encoding: 'utf8', input: opts.input, timeout: opts.timeoutMs ?? 60_000, killSignal: 'SIGKILL' });
  };

  let cleaned = false;
  const cleanup = (): void => {
    if (cleaned) return;
    cleaned = true;
    podman(['pod', 'rm', '--all', '--force', '--time', '0'], { timeoutMs: 30_000, runtime: defaultRuntime });
    podman(['rm', '--all', '--force', '--time', '0'], { timeoutMs: 30_000, runtime: defaultRuntime });
    podman(['rmi', '--all', '--force'], { timeoutMs: 30_000, runtime: defaultRuntime });
    for (const m of mountsUnder(dir)) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, argv, env, podman, cleanup };
}
