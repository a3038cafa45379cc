/**
 * Lab 14 (docs/labs/14-debootstrap-rinse.md): the course's debootstrap and rinse exercises as zone
 * brands. The Debian zone is checked fully: brand debian, a debootstrapped root, running, its
 * /etc/os-release names the suite it was installed with, apt inside is set up for the mirror it
 * came from. This host has no RPM mirror, so the rpm zone is checked up to what can happen here:
 * configured with brand rpm, `zoneadm install` tried (which ran rinse; the install log has the
 * command's failure), the zone recovered to configured, and the mirror rinse would use, recorded
 * by the student, matches /etc/rinse/rinse.conf.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mirrorForSuite, parseOsRelease, readAptSources, readOsRelease } from '../../brands/host.js';
import { rinseArgv, rinseConfigDir } from '../../brands/rinse.js';
import { installLogPath } from '../../zoneadm/paths.js';
import type { LabHost } from '../host.js';
import { type CheckItem, type Lab, item } from '../lab.js';
import { zoneRunningItem } from './common.js';
import { zoneRootDir } from './whole-root.js';

const DEB = 'debzone';
const RPM = 'rpmzone';
const RINSE_CONF = '/etc/rinse/rinse.conf';

interface InstallAttempt {
  log: string;
  options: { release?: string; mirror?: string; arch?: string };
}

/** The zone's last install log and the options it was run with, or undefined when never installed. */
function lastInstall(host: LabHost, zone: string): InstallAttempt | undefined {
  let log: string;
  try {
    log = readFileSync(installLogPath(zone, host.root), 'utf8');
  } catch {
    return undefined;
  }
  let options = {};
  try {
    options = JSON.parse(/\] options: (\{.*\})$/m.exec(log)?.[1] ?? '{}') as InstallAttempt['options'];
  } catch {
    // a hand-edited log: no options
  }
  return { log, options };
}

function brandItem(host: LabHost, zone: string, brand: string, create: string): CheckItem {
  const what = `zone ${zone} is configured with brand ${brand}`;
  const cfg = host.config(zone);
  if (!cfg) return item(what, false, `zonecfg -z ${zone} "${create}"`);
  if (cfg.globals.brand !== brand) return item(what, false, `its brand is ${cfg.globals.brand || 'native'}: set brand=${brand} (before install)`);
  return item(what, true);
}

/** The suite and mirror the Debian zone was installed with: its install options, else the host's defaults. */
function debianPlan(attempt: InstallAttempt | undefined): { suite?: string; mirror?: string } {
  const suite = attempt?.options.release ?? readOsRelease('/').VERSION_CODENAME;
  const mirror = attempt?.options.mirror ?? (suite ? mirrorForSuite(readAptSources('/'), suite) : undefined);
  return { suite, mirror };
}

async function debianItems(host: LabHost): Promise<CheckItem[]> {
  const items = [brandItem(host, DEB, 'debian', `create -b; set brand=debian; set zonepath=$ZONES_ROOT/zones/${DEB}; commit`)];
  const state = host.state(DEB);
  const root = zoneRootDir(host, DEB);
  const attempt = lastInstall(host, DEB);
  const { suite, mirror } = debianPlan(attempt);
  const built = root !== undefined && existsSync(join(root, 'etc/debian_version')) && existsSync(join(root, 'var/lib/dpkg/status'));
  const installed = state !== undefined && !['configured', 'incomplete'].includes(state);
  items.push(
    item(
      `zone ${DEB} is installed by debootstrap`,
      installed && built,
      !installed ? `install it: zoneadm -z ${DEB} install -r ${suite ?? 'SUITE'}` : built ? `a ${suite ?? 'Debian'} root in ${root}` : `${root} has no Debian root (etc/debian_version, var/lib/dpkg/status)`,
    ),
  );
  items.push(zoneRunningItem(host, DEB));
  const osWhat = `/etc/os-release inside ${DEB} says Debian ${suite ?? ''}`.trimEnd();
  const aptWhat = `apt inside ${DEB} is set up for ${mirror ?? 'the mirror it came from'}`;
  if (!host.running(DEB)) {
    items.push(item(osWhat, false, `boot it first: zoneadm -z ${DEB} boot`), item(aptWhat, false, `boot it first: zoneadm -z ${DEB} boot`));
    return items;
  }
  const os = parseOsRelease((await host.inZone(DEB, 'cat /etc/os-release')).stdout);
  const osOk = os.ID === 'debian' && suite !== undefined && os.VERSION_CODENAME === suite;
  items.push(item(osWhat, osOk, `it says ID=${os.ID ?? '?'} VERSION_CODENAME=${os.VERSION_CODENAME ?? '?'}`));
  // apt's own view of its sources (what `apt-get update` would fetch), read without fetching
  const apt = await host.inZone(DEB, "apt-get indextargets --format '$(SITE) $(RELEASE)' 'Created-By: Packages'");
  const sites = [...new Set(apt.stdout.split('\n').filter(Boolean))];
  const aptOk = mirror !== undefined && suite !== undefined && sites.some((l) => l.replace(/\/$/, '') === `${mirror.replace(/\/$/, '')} ${suite}`);
  items.push(item(aptWhat, aptOk, sites.length ? `apt-get indextargets: ${sites.join(', ')}` : `apt-get indextargets lists no source${apt.stderr ? ` (${apt.stderr.trim().split('\n')[0]})` : ''}`));
  return items;
}

/** The mirror rinse.conf gives a distribution on an architecture (`mirror.amd64`, else `mirror`). */
export function rinseMirror(conf: string, distribution: string, arch: string): string | undefined {
  let section = '';
  const keys: Record<string, string> = {};
  for (const raw of conf.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const head = /^\[(.+)\]$/.exec(line);
    if (head) section = head[1]!.trim();
    else if (section === distribution) {
      const kv = /^([\w.-]+)\s*=\s*(\S+)/.exec(line);
      if (kv) keys[kv[1]!] = kv[2]!;
    }
  }
  return keys[`mirror.${arch}`] ?? keys.mirror;
}

function rpmItems(host: LabHost): CheckItem[] {
  const items = [brandItem(host, RPM, 'rpm', `create -b; set brand=rpm; set zonepath=$ZONES_ROOT/zones/${RPM}; commit`)];
  const state = host.state(RPM);
  const attempt = lastInstall(host, RPM);
  const ranRinse = attempt !== undefined && / with rinse$/m.test(attempt.log);
  const failure = attempt ? /\] FAILED: (.*)$/m.exec(attempt.log)?.[1] : undefined;
  const dist = attempt?.options.release;
  const zp = host.config(RPM)?.globals.zonepath;
  const command = dist && zp ? `rinse ${rinseArgv({ distribution: dist, directory: join(zp, 'root'), arch: attempt?.options.arch ?? 'amd64', configDir: rinseConfigDir('/') }).join(' ')}` : undefined;
  const tried = `zoneadm -z ${RPM} install -r DIST ran rinse`;
  if (state === 'installed' || host.running(RPM)) items.push(item(tried, ranRinse, ranRinse ? `it built the root (${command ?? 'rinse'})` : 'installed, but not by rinse'));
  else if (!ranRinse) items.push(item(tried, false, attempt ? `its last install did not get to rinse: ${failure ?? 'see the install log'} (pass -r, e.g. -r rocky-9)` : `try it: zoneadm -z ${RPM} install -r rocky-9`));
  else items.push(item(tried, true, `it ran ${command ?? 'rinse'} and failed: ${failure ?? 'see the install log'}`));
  if (ranRinse && state !== 'installed' && !host.running(RPM)) {
    items.push(item(`zone ${RPM} is recovered after the failed install`, state === 'configured', state === 'configured' ? 'configured again' : `it is ${state ?? 'gone'}: zoneadm -z ${RPM} uninstall -F`));
  }
  const answer = host.answers(14)['rinse-mirror'];
  let conf = '';
  try {
    conf = readFileSync(RINSE_CONF, 'utf8');
  } catch {
    items.push(item('the mirror rinse would use is recorded', false, `${RINSE_CONF} is missing: apt-get install rinse`));
    return items;
  }
  const truth = dist ? rinseMirror(conf, dist, attempt?.options.arch ?? 'amd64') : undefined;
  const mirrorWhat = 'the mirror rinse would download from is recorded';
  if (!answer) items.push(item(mirrorWhat, false, `find it in ${RINSE_CONF}, then: zonelab answer 14 rinse-mirror URL`));
  else if (!truth) items.push(item(mirrorWhat, false, dist ? `${RINSE_CONF} has no mirror for ${dist}` : `install ${RPM} with -r DIST first`));
  else items.push(item(mirrorWhat, answer === truth, answer === truth ? `${dist}: ${truth}` : `${answer} is not the mirror ${RINSE_CONF} gives ${dist} on amd64`));
  return items;
}

export const debootstrapRinse: Lab = {
  id: 14,
  slug: 'debootstrap-rinse',
  title: 'debootstrap and rinse',
  seed: 'Técnicas de virtualización (course): debootstrap, and Fedora inside Debian with rinse',
  hostLimits() {
    const limits = ['no RPM mirror is reachable from this host: the rpm zone is checked up to the install rinse cannot finish'];
    if (!existsSync(RINSE_CONF)) limits.push('rinse is not installed (apt-get install rinse, or scripts/install-deps.sh)');
    return limits;
  },
  async check(host) {
    return [...(await debianItems(host)), ...rpmItems(host)];
  },
};
