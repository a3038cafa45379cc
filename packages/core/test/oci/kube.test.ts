/**
 * `zoneadm export -t kube` from configurations made by zonecfg in a real store: the manifest
 * parses back, and each part of the zone lands in its field (docs/scale.md#kubernetes).
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { loadAll } from 'js-yaml';
import { Session } from '../../src/lang/session.js';
import { storeBackend } from '../../src/zonecfg/backend.js';
import { ZoneStore } from '../../src/store/zone-store.js';
import { collectingIO, ZoneadmError } from '../../src/zoneadm/errors.js';
import { exportZone } from '../../src/zoneadm/export.js';
import { parseLimitpriv } from '../../src/model/privileges.js';
import { hostSyscallArches } from '../../src/platform/syscalls.js';
import { ociSeccomp } from '../../src/oci/runtime-config.js';
import { bytesQuantity, defaultImage, kubeName, tmpfsSizeLimit, SECCOMP_ANNOTATION } from '../../src/oci/kube.js';
import { CapturingIO } from '../lang/memory-backend.js';
import { tempRoot } from '../store/helpers.js';

let t: ReturnType<typeof tempRoot>;
beforeEach(() => {
  t = tempRoot();
});
afterEach(() => t.cleanup());

async function zonecfg(zone: string, lines: string[]): Promise<void> {
  const io = new CapturingIO();
  const session = new Session(storeBackend(t.root), io, { zonename: zone, mode: 'file', fileName: `${zone}.cfg` });
  await session.run(`${lines.join('\n')}\n`);
  const status = await session.finish();
  expect({ status, stderr: io.stderr }).toEqual({ status: 0, stderr: [] });
}

type Obj = Record<string, any>;

async function kube(zone: string, image?: string): Promise<{ text: string; docs: Obj[]; pod: Obj; ctr: Obj; cm: Obj }> {
  const io = collectingIO();
  await exportZone({ store: new ZoneStore(t.root), zone, io, uid: 0 }, { type: 'kube', image });
  expect(io.stderr).toBe('');
  const docs = loadAll(io.stdout) as Obj[];
  const pod = docs.find((d) => d?.kind === 'Pod')!;
  const cm = docs.find((d) => d?.kind === 'ConfigMap')!;
  return { text: io.stdout, docs, pod, ctr: pod.spec.containers[0], cm };
}

const WEB = [
  'create -b',
  'set zonepath=/zones/web',
  'set autoboot=true',
  'set ip-type=exclusive',
  'set bootargs="-i /sbin/myinit -v single"',
  'set limitpriv=default,proc_priocntl',
  'set max-lwps=500',
  'set cpu-shares=20',
  'add capped-memory',
  'set physical=512m',
  'set swap=1g',
  'end',
  'add capped-cpu',
  'set ncpus=1.5',
  'end',
  'add fs',
  'set dir=/data',
  'set special=/export/web-data',
  'set type=lofs',
  'add options [ro,nosuid]',
  'end',
  'add fs',
  'set dir=/scratch',
  'set special=swap',
  'set type=tmpfs',
  'add options "size=64m"',
  'end',
  'add net',
  'set physical=vnic0',
  'set allowed-address=10.1.0.5/24',
  'set defrouter=10.1.0.1',
  'end',
];

describe('export -t kube: the manifest of a zone', () => {
  test('parses back as a seccomp ConfigMap and a Pod of the zone image, with its annotations', async () => {
    await zonecfg('web', WEB);
    const { docs, pod, ctr } = await kube('web');
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'Pod']);
    expect(pod.apiVersion).toBe('v1');
    expect(pod.metadata.name).toBe('web');
    expect(pod.spec.hostname).toBe('web');
    expect(ctr.image).toBe(defaultImage('web'));
    expect(defaultImage('web')).toBe('localhost/zones/web:latest');
    const uuid = new ZoneStore(t.root).get('web')!.uuid;
    expect(pod.metadata.annotations).toMatchObject({
      'org.zones.zonename': 'web',
      'org.zones.brand': 'native',
      'org.zones.ip-type': 'exclusive',
      'org.zones.autoboot': 'true',
      ...(uuid ? { 'org.zones.uuid': uuid } : {}),
    });
  });

  test('limits: capped-memory and max-swap as memory, cpu-cap as millicores, shares as the request, lwps as a note', async () => {
    await zonecfg('web', WEB);
    const { ctr, pod, text } = await kube('web');
    expect(ctr.resources).toEqual({ limits: { memory: '512Mi', cpu: '1500m' }, requests: { memory: '512Mi', cpu: '20m' } });
    expect(pod.metadata.annotations).toMatchObject({ 'org.zones.max-lwps': '500', 'org.zones.cpu-shares': '20', 'org.zones.max-swap': String(2 ** 30) });
    expect(text).toMatch(/^# zone\.max-lwps 500 \(tasks, with zone\.max-processes\) has no Pod field/m);
  });

  test('dedicated-cpu asks for whole CPUs, requests = limits (a Guaranteed Pod, for the static CPU manager)', async () => {
    await zonecfg('db', ['create -b', 'set zonepath=/zones/db', 'add dedicated-cpu', 'set ncpus=2-4', 'end', 'add capped-memory', 'set physical=2g', 'end']);
    const { ctr, text } = await kube('db');
    expect(ctr.resources).toEqual({ limits: { cpu: '2', memory: '2Gi' }, requests: { cpu: '2', memory: '2Gi' } });
    expect(text).toContain('static CPU manager policy');
    expect(text).not.toContain('not Guaranteed');
    await zonecfg('nomem', ['create -b', 'set zonepath=/zones/nomem', 'add dedicated-cpu', 'set ncpus=1', 'end']);
    const nomem = await kube('nomem');
    expect(nomem.ctr.resources).toEqual({ limits: { cpu: '1' }, requests: { cpu: '1' } });
    expect(nomem.text).toContain('# dedicated-cpu without capped-memory: a Pod without a memory limit is not Guaranteed');
  });

  test('shares alone are a request without a limit; no limits, no resources', async () => {
    await zonecfg('s', ['create -b', 'set zonepath=/zones/s', 'set cpu-shares=50']);
    expect((await kube('s')).ctr.resources).toEqual({ requests: { cpu: '50m' } });
    await zonecfg('plain', ['create -b', 'set zonepath=/zones/plain']);
    expect((await kube('plain')).ctr.resources).toBeUndefined();
  });

  test('privileges: a user namespace with root inside, all capabilities dropped but the zone set, setuid allowed', async () => {
    await zonecfg('web', WEB);
    const { pod, ctr } = await kube('web');
    const priv = parseLimitpriv('default,proc_priocntl', 'exclusive');
    if (!priv.ok) throw new Error('limitpriv');
    expect(pod.spec.hostUsers).toBe(false);
    expect(pod.spec.securityContext).toMatchObject({ runAsUser: 0, runAsGroup: 0 });
    expect(ctr.securityContext).toMatchObject({ runAsUser: 0, runAsNonRoot: false, privileged: false, allowPrivilegeEscalation: true });
    expect(ctr.securityContext.capabilities.drop).toEqual(['ALL']);
    expect(ctr.securityContext.capabilities.add).toEqual(priv.capabilities.map((c) => c.slice(4)));
    expect(ctr.securityContext.capabilities.add).toEqual(expect.arrayContaining(['SYS_ADMIN', 'NET_ADMIN', 'SYS_NICE']));
    expect(ctr.securityContext.capabilities.add).not.toContain('SYS_MODULE');
    expect(pod.spec.automountServiceAccountToken).toBe(false);
  });

  test("seccomp: a Localhost profile named after its content, the zone's deny list, in the ConfigMap and the podman annotation", async () => {
    await zonecfg('web', WEB);
    const { pod, ctr, cm, text } = await kube('web');
    const priv = parseLimitpriv('default,proc_priocntl', 'exclusive');
    if (!priv.ok) throw new Error('limitpriv');
    const file = pod.spec.securityContext.seccompProfile.localhostProfile as string;
    expect(file).toMatch(/^zones-seccomp-[0-9a-f]{12}\.json$/);
    expect(pod.spec.securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: file });
    expect(ctr.securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: file });
    expect(pod.metadata.annotations[SECCOMP_ANNOTATION]).toBe(`localhost/${file}`);
    expect(JSON.parse(cm.data[file])).toEqual(ociSeccomp(priv.capabilities, hostSyscallArches()));
    expect(text).toContain(`/var/lib/kubelet/seccomp/${file}`);
    // The same privileges, the same file: a class of identical zones needs one profile per node.
    await zonecfg('web2', WEB.map((l) => l.replace('/zones/web', '/zones/web2')));
    expect((await kube('web2')).pod.spec.securityContext.seccompProfile.localhostProfile).toBe(file);
  });

  test('init and bootargs: -i PATH is the command, the rest the args; without -i the image entrypoint runs', async () => {
    await zonecfg('web', WEB);
    const { ctr } = await kube('web');
    expect(ctr.command).toEqual(['/sbin/myinit']);
    expect(ctr.args).toEqual(['-v', 'single']);
    await zonecfg('plain', ['create -b', 'set zonepath=/zones/plain', 'set bootargs="-s"']);
    const p = (await kube('plain')).ctr;
    expect(p.command).toBeUndefined();
    expect(p.args).toEqual(['-s']);
  });

  test('fs: lofs is a hostPath (ro as readOnly), tmpfs an emptyDir in memory of its size; inherit-pkg-dirs nothing', async () => {
    await zonecfg('web', [...WEB, 'add inherit-pkg-dir', 'set dir=/opt', 'end']);
    const { pod, ctr, text } = await kube('web');
    expect(pod.spec.volumes).toEqual([
      { name: 'data', hostPath: { path: '/export/web-data', type: 'Directory' } },
      { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
    ]);
    expect(ctr.volumeMounts).toEqual([
      { name: 'data', mountPath: '/data', readOnly: true },
      { name: 'scratch', mountPath: '/scratch' },
    ]);
    expect(text).toMatch(/^# fs \/data: hostPath \/export\/web-data exists on this host only; on a cluster use a PersistentVolume/m);
    expect(text).toMatch(/^# fs \/data: nosuid have no volume field/m);
  });

  test('net: exclusive-IP is a note of what the CNI must give, shared-IP a note that the Pod IP replaces it', async () => {
    await zonecfg('web', WEB);
    const { pod, text } = await kube('web');
    expect(pod.metadata.annotations['org.zones.net.0']).toBe('physical=vnic0 address=10.1.0.5/24 defrouter=10.1.0.1');
    expect(text.replace(/\n# /g, ' ')).toContain('net vnic0: the CNI must give the Pod an interface on the network of vnic0 with the address 10.1.0.5/24 and a default route via 10.1.0.1');
    await zonecfg('sh', ['create -b', 'set zonepath=/zones/sh', 'add net', 'set physical=eth0', 'set address=192.168.1.5/24', 'end']);
    const s = await kube('sh');
    expect(s.text).toContain('# net eth0 192.168.1.5/24: a shared-IP address of the host; the Pod gets its own Pod IP');
    expect(s.pod.metadata.annotations['org.zones.ip-type']).toBe('shared');
  });

  test('autoboot is the restart policy: Always with it, Never without', async () => {
    await zonecfg('web', WEB);
    expect((await kube('web')).pod.spec.restartPolicy).toBe('Always');
    await zonecfg('plain', ['create -b', 'set zonepath=/zones/plain']);
    expect((await kube('plain')).pod.spec.restartPolicy).toBe('Never');
  });

  test('IPC rctls become the Pod sysctls, and the filter refuses new IPC namespaces', async () => {
    await zonecfg('ipc', ['create -b', 'set zonepath=/zones/ipc', 'set max-shm-ids=100']);
    const { pod, cm } = await kube('ipc');
    expect(pod.spec.securityContext.sysctls).toEqual([{ name: 'kernel.shmmni', value: '100' }]);
    const profile = JSON.parse(Object.values(cm.data as Record<string, string>)[0]!);
    expect(profile.syscalls.map((s: Obj) => s.names[0])).toEqual(expect.arrayContaining(['unshare', 'clone', 'clone3']));
  });

  test('-i names the image; a zone name that is no DNS label is made one, the annotation keeps it', async () => {
    await zonecfg('Web_1.a', ['create -b', 'set zonepath=/zones/w']);
    const { pod, ctr, text } = await kube('Web_1.a', 'registry.example/class/web:1');
    expect(ctr.image).toBe('registry.example/class/web:1');
    expect(pod.metadata.name).toBe('web-1-a');
    expect(pod.spec.hostname).toBe('web-1-a');
    expect(pod.metadata.annotations['org.zones.zonename']).toBe('Web_1.a');
    expect(text).toContain('# The zone name Web_1.a is not a DNS label');
  });

  test('a limitpriv that does not parse is an error in zoneadm wording', async () => {
    await zonecfg('bad', ['create -b', 'set zonepath=/zones/bad']);
    // zonecfg refuses it; a configuration edited by hand (or from another version) can still hold it.
    const store = new ZoneStore(t.root);
    const cfg = store.load('bad')!;
    cfg.globals.limitpriv = 'default,sys_devices';
    store.save(cfg);
    const io = collectingIO();
    const run = exportZone({ store: new ZoneStore(t.root), zone: 'bad', io, uid: 0 }, { type: 'kube' });
    await expect(run).rejects.toThrow(ZoneadmError);
    await expect(run).rejects.toThrow('privilege "sys_devices" is not permitted');
  });
});

describe('kube quantities and names', () => {
  test('bytes and tmpfs sizes are exact quantities', () => {
    expect(bytesQuantity(536870912)).toBe('512Mi');
    expect(bytesQuantity(1000)).toBe('1000');
    expect(tmpfsSizeLimit(['size=64m'])).toBe('64Mi');
    expect(tmpfsSizeLimit(['size=2G'])).toBe('2Gi');
    expect(tmpfsSizeLimit(['size=50%'])).toBeUndefined();
  });
  test('names are DNS labels', () => {
    expect(kubeName('--A__b--')).toBe('a-b');
    expect(kubeName('x'.repeat(70))).toHaveLength(63);
    expect(kubeName('__')).toBe('zone');
  });
});
