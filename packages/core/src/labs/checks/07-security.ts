/**
 * Lab 07 (docs/labs/07-security.md): the workshop's security exercise. Zone `sec` runs with
 * `limitpriv` adding dtrace_proc, and with exactly the capabilities that gives (rebooted since the
 * change); a prohibited privilege (proc_zone) is refused; zone root cannot change the host's
 * network, reach kernel memory, reboot the host, load a module or write a kernel setting, and is
 * an unprivileged host uid. The student records each outcome; the check makes each attempt itself
 * in the zone, in a form that would change nothing even if it succeeded, and compares.
 */
import { parseLimitpriv } from '../../model/privileges.js';
import { processIdMap } from '../../platform/proc.js';
import { syscallNumber } from '../../platform/syscalls.js';
import type { Lab } from '../lab.js';
import { item, type CheckItem } from '../lab.js';
import { zoneRunningItem } from './common.js';
import { answerStep, attempt, capabilitiesItem, configuredCapabilities, ipTypeOf, refusalItem, runningInit } from './zone-privileges.js';

const ZONE = 'sec';
const ID = 7;
const REBOOT = `reboot it: zoneadm -z ${ZONE} reboot -- -i zsched`;

/** A system call made with perl's syscall() with all-zero arguments; prints the error and fails when it fails. */
const zeroCall = (name: string, args: number) => {
  const nr = syscallNumber(name);
  return `perl -e 'syscall(${[nr, ...Array(args).fill(0)].join(', ')}) == -1 or exit 0; print "$!\\n"; exit 1'`;
};

/**
 * The attempts, each harmless if it succeeded: the loopback's MTU set to what it is, a node for
 * /dev/null made in a temporary directory of the zone, reboot(2) with no magic numbers (EINVAL once
 * past its CAP_SYS_BOOT check), init_module(2) of nothing (ENOEXEC/EFAULT once past the filter and
 * CAP_SYS_MODULE), a sysctl written back with the value it has.
 */
const ATTEMPTS = {
  network: { what: "zone root cannot change the host's network (ip link)", command: 'ip link set dev lo mtu "$(cat /sys/class/net/lo/mtu)"', allowedWhen: [] },
  'kernel-memory': { what: 'zone root cannot make a device node to reach kernel memory (mknod /dev/mem)', command: 'd=$(mktemp -d) && { mknod "$d/null" c 1 3; s=$?; rm -rf "$d"; exit $s; }', allowedWhen: [] },
  reboot: { what: 'zone root cannot reboot the host (reboot -f)', command: zeroCall('reboot', 4), allowedWhen: ['EINVAL'] },
  modules: { what: 'zone root cannot load a kernel module (init_module)', command: zeroCall('init_module', 3), allowedWhen: ['ENOEXEC', 'EFAULT', 'EINVAL'] },
  sysctl: { what: 'zone root cannot write a kernel setting (/proc/sys/vm/swappiness)', command: 'f=/proc/sys/vm/swappiness; v=$(cat "$f") && echo "$v" > "$f"', allowedWhen: [] },
} as const;

export const security: Lab = {
  id: ID,
  slug: 'security',
  title: 'security: privileges, and what zone root cannot do',
  seed: 'OpenSolaris zones workshop, Ejercicio 7 (Seguridad)',
  async check(host) {
    const items: CheckItem[] = [zoneRunningItem(host, ZONE)];
    const cfg = host.config(ZONE);
    const answers = host.answers(ID);
    if (cfg && ipTypeOf(cfg) === 'exclusive') items.push(item(`zone ${ZONE} is shared-IP (it shares the host's network stack)`, false, `it is exclusive-IP, which owns a network of its own: zonecfg -z ${ZONE} set ip-type=shared`));

    const want = cfg ? configuredCapabilities(cfg) : undefined;
    const limitpriv = cfg?.globals.limitpriv ?? '';
    const dtrace = want?.ok === true && want.privileges.includes('dtrace_proc');
    const seen = `limitpriv is "${limitpriv}"${want?.ok === false ? ` (refused: ${want.why})` : ''}`;
    items.push(item(`zone ${ZONE}'s limitpriv adds dtrace_proc`, dtrace, !cfg ? 'configure it: step 1' : dtrace ? seen : `${seen}: zonecfg -z ${ZONE} 'set limitpriv="default,dtrace_proc,dtrace_user"'`));
    items.push(capabilitiesItem(host, ZONE, REBOOT));

    // proc_zone: what zonecfg says, against what the privilege rules say of it
    const refused = !parseLimitpriv('default,proc_zone', cfg ? ipTypeOf(cfg) : 'shared').ok;
    const said = answers['proc-zone'];
    const wording = /invalid privilege|not permitted/i;
    items.push(
      item(
        'zonecfg refuses proc_zone (a privilege no zone may have)',
        refused && said !== undefined && wording.test(said),
        said === undefined ? answerStep(ID, 'proc-zone', "'<what zonecfg printed>'") : wording.test(said) ? `you recorded: ${said}` : `"${said}" is not what zonecfg says: try set limitpriv="default,proc_zone" again`,
      ),
    );

    const pid = runningInit(host, ZONE);
    if (!pid) {
      for (const [key, a] of Object.entries(ATTEMPTS)) items.push(item(a.what, false, `needs zone ${ZONE} running (answer: ${key})`));
      items.push(item(`zone ${ZONE}'s root is an unprivileged host uid (uid_map)`, false, `needs zone ${ZONE} running`));
      return items;
    }
    for (const [key, a] of Object.entries(ATTEMPTS)) items.push(refusalItem(ID, answers, key, a.what, await attempt(host, ZONE, a.command, a.allowedWhen)));

    const root = processIdMap(pid, 'uid')?.find((r) => r.inside === 0);
    const uid = answers['root-uid'];
    const what = `zone ${ZONE}'s root is an unprivileged host uid (uid_map)`;
    if (!root || root.outside === 0) items.push(item(what, false, root ? "the zone's uid 0 is the host's root" : `cannot read /proc/${pid}/uid_map`));
    else if (uid === undefined) items.push(item(what, false, answerStep(ID, 'root-uid', '<the host uid of its root>')));
    else items.push(item(what, uid.trim() === String(root.outside), uid.trim() === String(root.outside) ? `uid 0 of the zone is host uid ${root.outside}` : `${uid} is not what /proc/${pid}/uid_map says`));
    return items;
  },
};
