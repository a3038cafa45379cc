/**
 * zonesvc install/remove against a host whose "system" directories are temporary ones and whose
 * init tools are recorded, not run: what is enabled where, and what the admin is told when PID 1
 * is not systemd (this host's case). The files themselves: packages/zoneadm/test/zonesvc.cli.test.ts.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installService, removeService, ServiceError, type HostInit } from '../../src/service/install.js';
import type { ServiceSpec } from '../../src/service/unit-files.js';

let base: string;
let ran: string[];
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'zonesvc-host-'));
  ran = [];
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

function host(opts: { systemd: boolean; updateRcD?: boolean; fail?: string }): HostInit {
  return {
    dirs: { systemd: join(base, 'etc/systemd/system'), sysv: join(base, 'etc/init.d') },
    systemdIsInit: () => opts.systemd,
    has: (t) => t === 'update-rc.d' && !!opts.updateRcD,
    run: async (t, args) => {
      ran.push([t, ...args].join(' '));
      if (opts.fail === t) throw new Error('exit status 1: Failed to connect to bus');
    },
  };
}

const spec: ServiceSpec = { node: process.execPath, zonesvc: process.execPath, root: '/', stopTimeoutS: 75 };

describe('zonesvc install / remove on the init system', () => {
  test('PID 1 is systemd: the unit written, then daemon-reload and enable --now; remove: disable, remove, daemon-reload', async () => {
    const h = host({ systemd: true });
    const r = await installService({ init: 'systemd' }, spec, h);
    const unit = join(base, 'etc/systemd/system/zones.service');
    expect(r).toEqual({
      path: unit,
      done: [`wrote ${unit}`, 'ran systemctl daemon-reload', 'ran systemctl enable --now zones.service'],
      adminSteps: [],
    });
    expect(readFileSync(unit, 'utf8')).toContain('ExecStart=');
    ran = [];
    const rm = await removeService({ init: 'systemd' }, h);
    expect(ran).toEqual(['systemctl disable zones.service', 'systemctl daemon-reload']);
    expect(rm.done).toEqual(['ran systemctl disable zones.service', `removed ${unit}`, 'ran systemctl daemon-reload']);
    expect(existsSync(unit)).toBe(false);
  });

  test('PID 1 is not systemd: the unit written, nothing run, the admin told what to run', async () => {
    const r = await installService({ init: 'systemd' }, spec, host({ systemd: false }));
    expect(ran).toEqual([]);
    expect(r.adminSteps).toEqual([
      'PID 1 is not systemd: on a host booted with systemd, run:',
      '  systemctl daemon-reload',
      '  systemctl enable --now zones.service',
      'on a host without systemd: zonesvc install --init sysv',
    ]);
    await removeService({ init: 'systemd' }, host({ systemd: false }));
    expect(ran).toEqual([]);
  });

  test('another directory than the system one: nothing enabled, even under systemd', async () => {
    const r = await installService({ init: 'systemd', dir: join(base, 'image') }, spec, host({ systemd: true }));
    expect(ran).toEqual([]);
    expect(r.adminSteps[0]).toBe(`${join(base, 'image')} is not ${join(base, 'etc/systemd/system')}: nothing enabled; once the unit is there, run:`);
  });

  test('sysv: update-rc.d defaults where it exists, update-rc.d remove after the script goes', async () => {
    const h = host({ systemd: false, updateRcD: true });
    const r = await installService({ init: 'sysv' }, spec, h);
    expect(r.done).toEqual([`wrote ${join(base, 'etc/init.d/zones')}`, 'ran update-rc.d zones defaults']);
    const rm = await removeService({ init: 'sysv' }, h);
    expect(rm.done).toEqual([`removed ${join(base, 'etc/init.d/zones')}`, 'ran update-rc.d zones remove']);
    const without = await installService({ init: 'sysv' }, spec, host({ systemd: false }));
    expect(without.adminSteps).toEqual([`link it into the runlevels (update-rc.d zones defaults, or chkconfig --add zones); start it: ${join(base, 'etc/init.d/zones')} start`]);
  });

  test('systemctl failing is a ServiceError naming the command; the unit is already in place', async () => {
    const p = installService({ init: 'systemd' }, spec, host({ systemd: true, fail: 'systemctl' }));
    await expect(p).rejects.toThrow(ServiceError);
    await expect(installService({ init: 'systemd' }, spec, host({ systemd: true, fail: 'systemctl' }))).rejects.toThrow(
      'systemctl daemon-reload failed: exit status 1: Failed to connect to bus',
    );
    expect(existsSync(join(base, 'etc/systemd/system/zones.service'))).toBe(true);
  });
});
