import { writeValue } from '../common.js';
import { deviceRuleText } from '../limits.js';
import type { V1Controller } from './controller.js';

/**
 * The zone's device policy: deny everything, then allow the nodes of its /dev. Written once, before
 * the zone's payload cgroup exists (the kernel refuses `a` on a cgroup with children); the payload
 * inherits it, and a child can never be granted more than its parent.
 */
export const devices: V1Controller = {
  name: 'devices',
  init(dir, _parentDir, limits) {
    if (!limits?.devices) return;
    writeValue(dir, 'devices.deny', 'a');
    for (const rule of limits.devices) writeValue(dir, 'devices.allow', deviceRuleText(rule));
  },
  apply() {
    return [];
  },
};
