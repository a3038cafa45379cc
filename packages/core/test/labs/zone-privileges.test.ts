/** The answers the privilege labs (07, 18) read: errors named as tools print them, capabilities as students write them. */
import { describe, expect, test } from '@jest/globals';
import { capabilityAnswer, errnoOf, refusalItem } from '@zones/core/labs/checks/zone-privileges';

describe('lab answers', () => {
  test('an error is known by its message, its errno name, or the last of several', () => {
    expect(errnoOf('RTNETLINK answers: Operation not permitted')).toBe('EPERM');
    expect(errnoOf('-bash: /proc/sys/vm/swappiness: Read-only file system')).toBe('EROFS');
    expect(errnoOf('erofs')).toBe('EROFS');
    expect(errnoOf('ls: cannot access /dev/mem: No such file or directory; mknod: /tmp/mem: Operation not permitted')).toBe('EPERM');
    expect(errnoOf('it worked')).toBeUndefined();
  });

  test('a capability is known with or without CAP_, in any case', () => {
    expect(capabilityAnswer('sys_module')).toBe('CAP_SYS_MODULE');
    expect(capabilityAnswer(' cap_sys_boot ')).toBe('CAP_SYS_BOOT');
    expect(capabilityAnswer('CAP_NET_ADMIN')).toBe('CAP_NET_ADMIN');
    expect(capabilityAnswer('module')).toBeUndefined();
  });

  test('a refusal counts only when the answer names the error the zone gave, and never when the zone could do it', () => {
    const refused = { kind: 'refused', errno: 'EROFS', text: 'Read-only file system' } as const;
    expect(refusalItem(7, { sysctl: 'Read-only file system' }, 'sysctl', 'w', refused).done).toBe(true);
    expect(refusalItem(7, { sysctl: 'Operation not permitted' }, 'sysctl', 'w', refused).done).toBe(false);
    expect(refusalItem(7, {}, 'sysctl', 'w', refused).detail).toMatch(/zonelab answer 07 sysctl/);
    const allowed = refusalItem(7, { sysctl: 'Read-only file system' }, 'sysctl', 'w', { kind: 'allowed', text: '' });
    expect(allowed.done).toBe(false);
    expect(allowed.detail).toMatch(/does not hold the line/);
  });
});
