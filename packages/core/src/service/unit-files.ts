/**
 * The text of the zones service as the host's init system runs it (docs/autoboot.md): a systemd
 * unit, written with the `ini` package, or an LSB init script. Both run one entry point,
 * `NODE ZONESVC start|stop -R ROOT`, with absolute paths resolved when the service was installed:
 * nothing is looked up in the environment when the host starts or stops (no root tool loads code
 * named by an environment variable), and the zones root is on the command line.
 */
import { stringify } from 'ini';

export const UNIT_NAME = 'zones.service';
export const SCRIPT_NAME = 'zones';

/** What the service records: where node and the zonesvc bin are, which zones root, the stop timeout. */
export interface ServiceSpec {
  node: string;
  zonesvc: string;
  root: string;
  /** what `zonesvc stop -t` gives the zones before halting them */
  stopTimeoutS: number;
}

/**
 * The characters a recorded path may have: enough for any real installation, and none that a
 * unit (`%` specifiers, `$` variables, quotes, `;`, `#`, blanks) or a shell would read differently.
 */
const PLAIN_PATH = /^\/[A-Za-z0-9._+@/-]*$/;

/** What is wrong with `spec` for a service file, or undefined. */
export function specProblem(spec: ServiceSpec): string | undefined {
  for (const [what, p] of [['node', spec.node], ['zonesvc', spec.zonesvc], ['zones root', spec.root]] as const) {
    if (!PLAIN_PATH.test(p)) return `${what} path '${p}' cannot be written into a service file: only an absolute path of letters, digits and . _ + @ - /`;
  }
  return undefined;
}

/** The command line the init system runs for `start` or `stop`. */
export function serviceCommand(spec: ServiceSpec, action: 'start' | 'stop'): string {
  const tail = action === 'stop' ? ` -t ${spec.stopTimeoutS}` : '';
  return `${spec.node} ${spec.zonesvc} ${action} -R ${spec.root}${tail}`;
}

/**
 * What systemd may give the stop method in all: the zones' timeout is 3/4 of it, as the Solaris
 * stop method spends 3/4 of its 100 s on shutdown and the rest on halting (docs/reference.md#45-the-zones-service).
 */
export function stopMethodTimeoutS(stopTimeoutS: number): number {
  return Math.ceil((stopTimeoutS * 4) / 3);
}

/**
 * How long the start method may take. Boots resolve once a zone's init runs (well under a second
 * each, BOOT_PARALLEL at a time); the bound only stops a hung boot from holding the host's start.
 */
export const START_TIMEOUT_S = 300;

const HEADER = '# The zones service (Solaris svc:/system/zones:default), written by `zonesvc install`; `zonesvc remove` takes it away.\n# docs/autoboot.md\n';

/** The systemd unit `zones.service`. */
export function unitText(spec: ServiceSpec): string {
  const unit = {
    Unit: {
      Description: 'Zones autoboot and graceful shutdown',
      // the zones' roots and their fs resources, and the host interfaces their networks use
      After: 'local-fs.target remote-fs.target network-online.target',
      Wants: 'network-online.target',
      // at host shutdown: stopped (ExecStop) before the filesystems and the network go
      Before: 'shutdown.target',
      Conflicts: 'shutdown.target',
    },
    Service: {
      Type: 'oneshot',
      RemainAfterExit: 'yes',
      ExecStart: serviceCommand(spec, 'start'),
      ExecStop: serviceCommand(spec, 'stop'),
      TimeoutStartSec: String(START_TIMEOUT_S),
      TimeoutStopSec: String(stopMethodTimeoutS(spec.stopTimeoutS)),
      // `zonesvc start` exits 1 when some zone did not boot: the unit must stay active all the
      // same, or the host's shutdown would not run ExecStop for the zones that did
      SuccessExitStatus: '1',
      // the zones' supervisors live in this unit's cgroup: a failed or timed-out start must not
      // take them (and so their zones) down; ExecStop is what ends zones
      KillMode: 'process',
    },
    Install: { WantedBy: 'multi-user.target' },
  };
  return HEADER + stringify(unit);
}

/** The LSB init script `/etc/init.d/zones`, for hosts whose init is not systemd. */
export function initScriptText(spec: ServiceSpec): string {
  return `#!/bin/sh
${HEADER}### BEGIN INIT INFO
# Provides:          zones
# Required-Start:    $local_fs $remote_fs $network
# Required-Stop:     $local_fs $remote_fs $network
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: Zones autoboot and graceful shutdown
# Description:       Boots the zones with autoboot=true when the host starts; shuts down every
#                    running zone (halting it after ${spec.stopTimeoutS} s) when the host stops.
### END INIT INFO

NODE='${spec.node}'
ZONESVC='${spec.zonesvc}'
ROOT='${spec.root}'
TIMEOUT=${spec.stopTimeoutS}

case "$1" in
start)
	exec "$NODE" "$ZONESVC" start -R "$ROOT"
	;;
stop)
	exec "$NODE" "$ZONESVC" stop -R "$ROOT" -t "$TIMEOUT"
	;;
restart|force-reload)
	"$NODE" "$ZONESVC" stop -R "$ROOT" -t "$TIMEOUT"
	exec "$NODE" "$ZONESVC" start -R "$ROOT"
	;;
status)
	exec "$NODE" "$ZONESVC" status -R "$ROOT"
	;;
*)
	echo "Usage: $0 {start|stop|restart|force-reload|status}" >&2
	exit 3
	;;
esac
`;
}
