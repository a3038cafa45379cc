/**
 * Lab 18 (docs/labs/18-capabilities.md): which capabilities a zone drops and why. Zone `caps`
 * runs with a limitpriv that changes the default capability set, and with exactly that set
 * (rebooted since); the student counts what the zone lacks against the global zone, names the
 * capability the change added or removed, and the capability behind each thing a zone must not do
 * to the host. The check compares the count with the two masks, the change with the default set,
 * and the names with what the kernel checks.
 */
import { DEFAULT_CAPABILITIES } from '../../model/privileges.js';
import { capabilityMask, capabilityNames } from '../../platform/capabilities.js';
import type { Lab } from '../lab.js';
import { item, type CheckItem } from '../lab.js';
import { zoneRunningItem } from './common.js';
import { answerStep, capabilitiesItem, capabilityAnswer, capabilityCount, capabilitySet, configuredCapabilities, ipTypeOf, runningInit } from './zone-privileges.js';

const ZONE = 'caps';
const ID = 18;

/** What a zone's root must not do to the host, and the one capability the kernel checks for it. */
const GATES: readonly { key: string; what: string; cap: string }[] = [
  { key: 'load-module', what: 'load a kernel module (init_module, finit_module)', cap: 'CAP_SYS_MODULE' },
  { key: 'reboot-host', what: 'reboot the host (reboot, kexec_load)', cap: 'CAP_SYS_BOOT' },
  { key: 'raw-io', what: 'read /dev/mem, raw I/O ports (iopl, ioperm)', cap: 'CAP_SYS_RAWIO' },
  { key: 'set-clock', what: "set the host's clock (clock_settime, settimeofday)", cap: 'CAP_SYS_TIME' },
  { key: 'host-network', what: "configure the host's interfaces and routes", cap: 'CAP_NET_ADMIN' },
];

export const capabilities: Lab = {
  id: ID,
  slug: 'capabilities',
  title: 'capabilities: which ones a zone drops and why',
  seed: 'virli course (Capabilities: CAP_SYS_MODULE, CAP_SYS_RAWIO, CAP_SYS_TIME...); workshop Ejercicio 7',
  async check(host) {
    const items: CheckItem[] = [zoneRunningItem(host, ZONE)];
    const cfg = host.config(ZONE);
    const want = cfg ? configuredCapabilities(cfg) : undefined;
    const defaults = cfg ? DEFAULT_CAPABILITIES(ipTypeOf(cfg)) : [];
    const changed = want?.ok === true ? capabilityNames(capabilityMask(want.capabilities) ^ capabilityMask(defaults)) : [];
    items.push(
      item(
        `zone ${ZONE}'s limitpriv changes its capabilities from the default set`,
        changed.length > 0,
        !cfg
          ? 'configure it: step 1'
          : want?.ok === false
            ? `its limitpriv is refused: ${want.why}`
            : changed.length
              ? `limitpriv "${cfg.globals.limitpriv}"`
              : `limitpriv "${cfg.globals.limitpriv}" gives the default capabilities: step 4 (e.g. set limitpriv="default,-proc_chroot")`,
      ),
    );
    items.push(capabilitiesItem(host, ZONE, `reboot it: zoneadm -z ${ZONE} reboot -- -i zsched`));
    const answers = host.answers(ID);

    // the count of what the zone lacks, from the global zone's bounding set and the zone init's
    const pid = runningInit(host, ZONE);
    const mine = capabilitySet(process.pid, 'CapBnd');
    const zone = pid ? capabilitySet(pid, 'CapBnd') : undefined;
    const countWhat = `the number of the global zone's capabilities zone ${ZONE} lacks`;
    const count = answers.dropped;
    if (mine === undefined || zone === undefined) items.push(item(countWhat, false, `needs zone ${ZONE} running`));
    else if (count === undefined) items.push(item(countWhat, false, answerStep(ID, 'dropped', '<how many>')));
    else {
      const truth = capabilityCount(mine & ~zone);
      items.push(item(countWhat, count.trim() === String(truth), count.trim() === String(truth) ? `${truth}` : `${count} is not what the two CapBnd masks say now: decode them again (step 6)`));
    }

    // the capability the change made the difference in
    const said = capabilityAnswer(answers.changed);
    const changedWhat = 'the capability your limitpriv change added or removed';
    if (answers.changed === undefined) items.push(item(changedWhat, false, answerStep(ID, 'changed', '<capability>')));
    else if (!said) items.push(item(changedWhat, false, `"${answers.changed}" is not a capability name (CAP_...)`));
    else items.push(item(changedWhat, changed.includes(said), changed.includes(said) ? `${said} (limitpriv changed ${changed.join(', ')})` : `${said} is the same in zone ${ZONE} as in the default set`));

    for (const g of GATES) {
      const what = `the capability that would let zone root ${g.what}`;
      const a = answers[g.key];
      const name = capabilityAnswer(a);
      const has = zone !== undefined && capabilityNames(zone).includes(g.cap);
      if (a === undefined) items.push(item(what, false, answerStep(ID, g.key, '<capability>')));
      else if (name !== g.cap) items.push(item(what, false, name ? `not ${name}: see capabilities(7)` : `"${a}" is not a capability name (CAP_...)`));
      else items.push(item(what, true, `${g.cap}; zone ${ZONE} ${!has ? 'lacks it' : g.cap === 'CAP_SYS_TIME' ? 'has it (sys_time): its supervisor sets the clock for it' : 'has it, in its own user namespace only'}`));
    }
    return items;
  },
};
