import { writeValue } from '../common.js';
import type { V1Controller } from './controller.js';

/** Only used to stop every task at once while halting: nothing can fork away meanwhile. */
export const freezer: V1Controller = {
  name: 'freezer',
  apply() {
    return [];
  },
};

export function setFrozen(dir: string, frozen: boolean): void {
  writeValue(dir, 'freezer.state', frozen ? 'FROZEN' : 'THAWED');
}
