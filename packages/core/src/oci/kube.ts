/**
 * `zoneadm -z NAME export -t kube`: the zone as a Kubernetes Pod for its image (docs/scale.md#kubernetes).
 * Made from the decisions our boot takes, as oci/runtime-config.ts is: the limits of
 * platform/cgroups/limits.ts as resources, the capabilities of limitpriv and the zone's seccomp
 * deny list as the security context, a user namespace (`hostUsers: false`) with root inside, the
 * fs resources as volumes. What has no Pod field (a pids cap, swap, the network) is written as
 * annotations and comments, so that nothing of the zone is dropped silently. Pure but for the
 * caller's facts (the host's system call ABIs).
 */
import { createHash } from 'node:crypto';
import { dump } from 'js-yaml';
import type { ZoneConfig } from '../model/types.js';
import { parseLimitpriv, type IpType } from '../model/privileges.js';
import { limitsFromConfig, type CgroupLimits } from '../platform/cgroups/limits.js';
import { ipcSysctls } from '../platform/ipc-limits.js';
import { hostSyscallArches, type SyscallArch } from '../platform/syscalls.js';
import { bootPlan } from '../runtime/supervisor.js';
import { ZoneadmError } from '../zoneadm/errors.js';
import { ociSeccomp, type OciSeccomp } from './runtime-config.js';
import type { ExportSubject } from './subject.js';

/** Where `zoneadm export -t oci-image` images are expected when -i is not given (docs/scale.md#oci-image). */
export const DEFAULT_IMAGE_REPOSITORY = 'localhost/zones';

/** The image a manifest runs without -i: `localhost/zones/<zonename>:latest` (references are lower case). */
export function defaultImage(zonename: string): string {
  return `${DEFAULT_IMAGE_REPOSITORY}/${zonename.toLowerCase()}:latest`;
}

/** The kubelet's directory of Localhost seccomp profiles (its --seccomp-profile-root, podman kube play's default too). */
export const KUBELET_SECCOMP_ROOT = '/var/lib/kubelet/seccomp';

/** The one container of the Pod (`kubectl exec POD -c zone`). */
export const CONTAINER_NAME = 'zone';

/** The prefix of our annotations, as in the OCI config's and the image's (`org.zones.zonename`). */
const NOTE = 'org.zones';

/** podman 4.3 reads only this pre-1.19 annotation, not the seccompProfile field; clusters read the field. */
export const SECCOMP_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';

export interface KubeFacts {
  /** The zone's uuid (index), '' when it has none. */
  uuid: string;
  image: string;
  arches: readonly SyscallArch[];
}

type Obj = Record<string, unknown>;

export interface KubeWorkload {
  /** The Pod. */
  pod: Obj;
  /** The ConfigMap that carries the seccomp profile to whoever places it on the nodes. */
  profile: { file: string; configMap: Obj; seccomp: OciSeccomp };
  /** What the manifest cannot say in fields, one sentence each (printed as comments above it). */
  notes: string[];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const words = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []).flatMap((o) => o.split(',')).filter((w) => w !== '' && w !== '-');

/** A DNS-1123 label (Pod names, hostnames, volume names): zone names may hold `_`, `.` and capitals. */
export function kubeName(text: string, fallback = 'zone'): string {
  const s = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
  return s === '' ? fallback : s;
}

const KI = 1024;
const UNITS: [number, string][] = [[KI ** 4, 'Ti'], [KI ** 3, 'Gi'], [KI ** 2, 'Mi'], [KI, 'Ki']];

/** Bytes as a Kubernetes quantity, exact: `536870912` -> `512Mi`. */
export function bytesQuantity(n: number): string {
  for (const [size, unit] of UNITS) if (n % size === 0) return `${n / size}${unit}`;
  return String(n);
}

/** Millicores as a Kubernetes quantity: `500m`, `2`. */
export function cpuQuantity(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

/** tmpfs `size=` (bytes, or with the k, m, g suffixes of mount(8)) as a sizeLimit; a `%` size has none. */
export function tmpfsSizeLimit(options: readonly string[]): string | undefined {
  const size = options.filter((o) => o.startsWith('size=')).pop()?.slice(5);
  const m = size === undefined ? null : /^(\d+)([kmgKMG]?)$/.exec(size);
  if (!m) return undefined;
  const scale = { '': 1, k: KI, m: KI ** 2, g: KI ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return bytesQuantity(Number(m[1]) * scale);
}

interface Resources {
  limits?: Record<string, string>;
  requests?: Record<string, string>;
}

/**
 * The zone's limits as container resources, requests equal to limits (what the zone is promised
 * is what it may use, as on our host). CPU: a dedicated-cpu zone asks for whole CPUs (with the
 * kubelet's static CPU manager policy it gets them alone); zone.cpu-cap is millicores (100 = one
 * CPU = 1000m); zone.cpu-shares becomes requests.cpu in millicores, the weight the kubelet gives
 * the container's cgroup (cpu.shares = millicores x 1024 / 1000), so zones keep their ratios.
 */
export function kubeResources(limits: CgroupLimits): { resources: Resources; annotations: Obj; notes: string[] } {
  const lim: Record<string, string> = {};
  const req: Record<string, string> = {};
  const annotations: Obj = {};
  const notes: string[] = [];
  const memory = typeof limits.memoryBytes === 'number' ? limits.memoryBytes : undefined;
  const swap = typeof limits.memoryAndSwapBytes === 'number' ? limits.memoryAndSwapBytes : undefined;
  if (memory !== undefined || swap !== undefined) {
    const m = memory !== undefined && swap !== undefined ? Math.min(memory, swap) : (memory ?? swap)!;
    lim.memory = req.memory = bytesQuantity(m);
  }
  if (swap !== undefined) {
    annotations[`${NOTE}.max-swap`] = String(swap);
    notes.push(`zone.max-swap ${swap} (memory and swap together) has no Pod field: the memory limit is ${lim.memory}, and a node gives swap only by its own NodeSwap policy.`);
  }
  const shares = typeof limits.cpuShares === 'number' ? Math.max(1, limits.cpuShares) : undefined;
  if (shares !== undefined) annotations[`${NOTE}.cpu-shares`] = String(shares);
  if (limits.dedicatedCpu) {
    const { min, max } = limits.dedicatedCpu;
    lim.cpu = req.cpu = String(min);
    annotations[`${NOTE}.dedicated-cpu`] = min === max ? String(min) : `${min}-${max}`;
    notes.push(
      `dedicated-cpu ${min === max ? min : `${min}-${max}`}: ${min} whole CPU(s), requests = limits; they are the zone's alone only where the kubelet runs the static CPU manager policy` +
        (max > min ? `; a Pod cannot grow to ${max} CPUs` : '') +
        '.',
    );
  } else if (limits.cpuQuota !== undefined && limits.cpuQuota !== 'max') {
    const millicores = Math.max(1, Math.round((limits.cpuQuota.quotaUs / limits.cpuQuota.periodUs) * 1000));
    lim.cpu = cpuQuantity(millicores);
    req.cpu = cpuQuantity(shares !== undefined ? Math.min(shares, millicores) : millicores);
  } else if (shares !== undefined) {
    req.cpu = cpuQuantity(shares);
  }
  if (limits.dedicatedCpu && lim.memory === undefined) {
    notes.push('dedicated-cpu without capped-memory: a Pod without a memory limit is not Guaranteed, and the static CPU manager policy gives CPUs of their own only to Guaranteed Pods; set capped-memory physical.');
  }
  if (shares !== undefined && !limits.dedicatedCpu) {
    notes.push(`zone.cpu-shares ${shares}: requests.cpu ${req.cpu}, the weight the kubelet gives the container (and what the scheduler reserves on a node).`);
  }
  if (typeof limits.pidsMax === 'number') {
    // Linux counts threads and processes alike: the one cap of zone.max-lwps and zone.max-processes.
    annotations[`${NOTE}.max-lwps`] = String(limits.pidsMax);
    notes.push(`zone.max-lwps ${limits.pidsMax} (tasks, with zone.max-processes) has no Pod field: a node caps the tasks of every Pod alike (the kubelet's podPidsLimit).`);
  }
  if (limits.memlockBytes !== undefined) {
    annotations[`${NOTE}.max-locked-memory`] = String(limits.memlockBytes);
    notes.push(`zone.max-locked-memory ${limits.memlockBytes} has no Pod field: RLIMIT_MEMLOCK is the container runtime's default.`);
  }
  const resources: Resources = {};
  if (Object.keys(lim).length > 0) resources.limits = lim;
  if (Object.keys(req).length > 0) resources.requests = req;
  return { resources, annotations, notes };
}

interface Volumes {
  volumes: Obj[];
  mounts: Obj[];
  notes: string[];
}

/**
 * The fs resources as volumes: lofs is a hostPath of its special (a cluster uses a
 * PersistentVolume instead: the path exists on this host only), tmpfs an emptyDir in memory of
 * its size, any other type a PersistentVolumeClaim of the same name that the cluster must provide.
 * inherit-pkg-dirs need nothing: the image carries them (docs/scale.md#what-carries-over).
 */
export function kubeVolumes(cfg: ZoneConfig, podName: string): Volumes {
  const out: Volumes = { volumes: [], mounts: [], notes: [] };
  const used = new Set<string>();
  cfg.resources.forEach((r, i) => {
    if (r.type !== 'fs') return;
    const dir = str(r.props.dir);
    const type = str(r.props.type);
    const special = str(r.props.special);
    const opts = words(r.props.options);
    let name = kubeName(dir.replace(/^\/+/, ''), `fs-${i}`);
    if (used.has(name)) name = kubeName(`${name.slice(0, 55)}-${i}`);
    used.add(name);
    const mount: Obj = { name, mountPath: dir };
    if (opts.includes('ro')) mount.readOnly = true;
    out.mounts.push(mount);
    if (type === 'lofs') {
      out.volumes.push({ name, hostPath: { path: special, type: 'Directory' } });
      out.notes.push(`fs ${dir}: hostPath ${special} exists on this host only; on a cluster use a PersistentVolume with its data.`);
    } else if (type === 'tmpfs') {
      const sizeLimit = tmpfsSizeLimit(opts);
      out.volumes.push({ name, emptyDir: { medium: 'Memory', ...(sizeLimit ? { sizeLimit } : {}) } });
    } else {
      const claimName = kubeName(`${podName}-${name}`);
      out.volumes.push({ name, persistentVolumeClaim: { claimName, ...(opts.includes('ro') ? { readOnly: true } : {}) } });
      out.notes.push(`fs ${dir} (${type} on ${special}): the cluster must provide the PersistentVolumeClaim ${claimName} with its data.`);
    }
    const lost = opts.filter((o) => o === 'nosuid' || o === 'noexec' || o === 'nodevices');
    if (lost.length > 0) out.notes.push(`fs ${dir}: ${lost.join(', ')} have no volume field; the mount has the runtime's defaults.`);
  });
  return out;
}

/** The net resources as what the cluster's network (its CNI) must give the Pod instead. */
export function kubeNetNotes(cfg: ZoneConfig, ipType: IpType): { annotations: Obj; notes: string[] } {
  const annotations: Obj = {};
  const notes: string[] = [];
  cfg.resources
    .filter((r) => r.type === 'net')
    .forEach((r, i) => {
      const physical = str(r.props.physical);
      const address = str(r.props.address) || str(r.props['allowed-address']);
      const defrouter = str(r.props.defrouter);
      annotations[`${NOTE}.net.${i}`] = [`physical=${physical}`, ...(address ? [`address=${address}`] : []), ...(defrouter ? [`defrouter=${defrouter}`] : [])].join(' ');
      notes.push(
        ipType === 'exclusive'
          ? `net ${physical}: the CNI must give the Pod an interface on the network of ${physical}` +
              (address ? ` with the address ${address}` : '') +
              (defrouter ? ` and a default route via ${defrouter}` : '') +
              ' (e.g. macvlan or bridge with a static IPAM); the default network gives it a Pod IP instead.'
          : `net ${physical}${address ? ` ${address}` : ''}: a shared-IP address of the host; the Pod gets its own Pod IP from the CNI instead.`,
      );
    });
  return { annotations, notes };
}

/** The Localhost profile: named after its content, so that zones with the same privileges share one file on the nodes. */
function seccompProfile(seccomp: OciSeccomp): { file: string; text: string } {
  // One rule a line: the admin who places it on the nodes can read what it refuses.
  const rules = seccomp.syscalls.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  const text =
    `{\n  "defaultAction": ${JSON.stringify(seccomp.defaultAction)},\n  "architectures": ${JSON.stringify(seccomp.architectures)},\n` +
    `  "syscalls": [\n${rules}\n  ]\n}\n`;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  // One path component: podman 4.3 joins only the first one after `localhost/` to its profile root.
  return { file: `zones-seccomp-${hash}.json`, text };
}

/** The Pod and its seccomp ConfigMap for the zone `name`. Its limitpriv must parse (else ZoneadmError). */
export function kubeWorkload(name: string, cfg: ZoneConfig, facts: KubeFacts): KubeWorkload {
  const ipType: IpType = cfg.globals['ip-type'] === 'exclusive' ? 'exclusive' : 'shared';
  const priv = parseLimitpriv(cfg.globals.limitpriv ?? '', ipType);
  if (!priv.ok) throw new ZoneadmError(priv.errors.join('; '));
  const caps = priv.capabilities;
  const podName = kubeName(name);
  const notes: string[] = [];
  if (podName !== name) notes.push(`The zone name ${name} is not a DNS label: the Pod and its hostname are ${podName}.`);

  const limits = limitsFromConfig(cfg);
  const res = kubeResources(limits);
  const ipc = ipcSysctls(limits.ipc);
  const sysctls = ipc.sysctls.filter(([n]) => !n.startsWith('user/')).map(([n, value]) => ({ name: n.replace(/\//g, '.'), value }));
  // As in the OCI bundle: nothing sets user.max_ipc_namespaces, so the filter refuses new IPC namespaces.
  const seccomp = ociSeccomp(caps, facts.arches, sysctls.length < ipc.sysctls.length);
  const profile = seccompProfile(seccomp);
  if (sysctls.length > 0) notes.push(`The IPC rctls are sysctls the kubelet refuses unless allowed (--allowed-unsafe-sysctls 'kernel.shm*,kernel.msg*,kernel.sem').`);
  if (caps.includes('CAP_SYS_TIME')) notes.push('sys_time: only zoneadm boot sets the host clock for a zone; a Pod cannot set it.');
  const vols = kubeVolumes(cfg, podName);
  const net = kubeNetNotes(cfg, ipType);

  const bootargs = (cfg.globals.bootargs ?? '').trim();
  const plan = bootPlan(bootargs === '' ? [] : bootargs.split(/\s+/));
  const command: Obj = {};
  // Without `-i`, the image's entrypoint is the zone's init (oci/image-config.ts picks it as our boot does).
  if (plan.inits.length === 1 && plan.inits[0] !== 'zsched') command.command = [plan.inits[0]];
  else if (plan.inits.length === 1) notes.push("bootargs -i zsched: zsched is zoneadm's built-in init; the image has no entrypoint, give the container a command.");
  if (plan.args.length > 0) command.args = plan.args;

  const autoboot = cfg.globals.autoboot === 'true';
  const seccompProfileField = { type: 'Localhost', localhostProfile: profile.file };
  const container: Obj = {
    name: CONTAINER_NAME,
    image: facts.image,
    ...command,
    // The zone's console: `kubectl attach -it POD` reaches init's terminal, as zlogin -C would.
    stdin: true,
    tty: true,
    ...(Object.keys(res.resources).length > 0 ? { resources: res.resources } : {}),
    securityContext: {
      runAsUser: 0,
      runAsGroup: 0,
      runAsNonRoot: false,
      privileged: false,
      // setuid programs (su, ping) work in a zone: no no_new_privs.
      allowPrivilegeEscalation: true,
      capabilities: { drop: ['ALL'], ...(caps.length > 0 ? { add: caps.map((c) => c.replace(/^CAP_/, '')) } : {}) },
      seccompProfile: seccompProfileField,
    },
    ...(vols.mounts.length > 0 ? { volumeMounts: vols.mounts } : {}),
  };
  const annotations: Obj = {
    [`${NOTE}.zonename`]: name,
    [`${NOTE}.brand`]: cfg.globals.brand || 'native',
    ...(facts.uuid ? { [`${NOTE}.uuid`]: facts.uuid } : {}),
    [`${NOTE}.ip-type`]: ipType,
    [`${NOTE}.autoboot`]: autoboot ? 'true' : 'false',
    ...res.annotations,
    ...net.annotations,
    [SECCOMP_ANNOTATION]: `localhost/${profile.file}`,
  };
  const pod: Obj = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: podName, labels: { 'app.kubernetes.io/name': podName, 'app.kubernetes.io/component': 'zone' }, annotations },
    spec: {
      hostname: podName,
      // A zone gets its own user namespace with root inside (docs/security.md).
      hostUsers: false,
      // autoboot: the zone comes back on its own (node restart, init exit); without it, it stays down once halted.
      restartPolicy: autoboot ? 'Always' : 'Never',
      // Root in a zone must not reach the cluster's API or learn its services.
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: { runAsUser: 0, runAsGroup: 0, seccompProfile: seccompProfileField, ...(sysctls.length > 0 ? { sysctls } : {}) },
      containers: [container],
      ...(vols.volumes.length > 0 ? { volumes: vols.volumes } : {}),
    },
  };
  const configMap: Obj = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: profile.file.replace(/\.json$/, ''), annotations: { [`${NOTE}.seccomp-profile`]: `${KUBELET_SECCOMP_ROOT}/${profile.file}` } },
    data: { [profile.file]: profile.text },
  };
  return {
    pod,
    profile: { file: profile.file, configMap, seccomp },
    notes: [...notes, ...res.notes, ...vols.notes, ...net.notes],
  };
}

/** Comment lines, wrapped at about 100 columns. */
function comment(text: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line !== '' && `${line} ${w}`.length > 98) {
      out.push(`# ${line}`);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') out.push(`# ${line}`);
  return out;
}

const yaml = (doc: Obj): string => dump(doc, { lineWidth: -1, noRefs: true });

/** The manifest as printed: comments, the seccomp ConfigMap, the Pod (docs/scale.md#kubernetes). */
export function renderManifest(name: string, w: KubeWorkload, image: string): string {
  const head = [
    ...comment(`Zone ${name} as a Kubernetes Pod (zoneadm -z ${name} export -t kube; docs/scale.md#kubernetes).`),
    ...comment(`Image ${image}: zoneadm -z ${name} export -t oci-image DIR, then skopeo copy oci:DIR:${name} docker://REGISTRY/zones/${name.toLowerCase()}:latest and -i that name.`),
    ...comment(
      `Seccomp: every node needs the data of the ConfigMap ${String((w.profile.configMap.metadata as Obj).name)} as ${KUBELET_SECCOMP_ROOT}/${w.profile.file} ` +
        '(podman kube play: --seccomp-profile-root DIR); the Pod does not start without it.',
    ),
    ...w.notes.flatMap((n) => comment(n)),
  ];
  return `${head.join('\n')}\n---\n${yaml(w.profile.configMap)}---\n${yaml(w.pod)}`;
}

export function kubeManifest(subject: ExportSubject, opts: { image?: string }): string {
  const { entry, cfg } = subject;
  const image = opts.image ?? defaultImage(entry.name);
  const w = kubeWorkload(entry.name, cfg, { uuid: entry.uuid, image, arches: hostSyscallArches() });
  return renderManifest(entry.name, w, image);
}
