/**
 * What zonecfg checks when a resource property is `set` (before `end`): the value's own syntax,
 * as set_func does. Some refusals only print (Solaris leaves its error flag alone for them).
 */
import type { ResourceType, ZoneConfig } from './types.js';
import type { ResourcePropName } from './schema.js';
import { rctlNameError } from './rctl.js';
import { writeCappedCpu, writeCappedMemory } from './capped.js';
import { checkNetAddress, checkNetPhysical, isValidFsType, isValidNcpus } from './validate.js';

export interface SetProblem {
  message: string;
  /** False for the refusals zonecfg prints without marking the session as failed. */
  isError: boolean;
}

const error = (message: string): SetProblem => ({ message, isError: true });

/** `type.property` for every property of the table, so a case naming no such property does not compile. */
type PropKey = { [T in ResourceType]: `${T}.${ResourcePropName<T>}` }[ResourceType];

export function checkResourceValue(
  cfg: ZoneConfig,
  type: ResourceType,
  prop: string,
  value: string,
  isGlobal: boolean,
): SetProblem | undefined {
  const ipType = cfg.globals['ip-type'] === 'exclusive' ? 'exclusive' : 'shared';
  switch (`${type}.${prop}` as PropKey) {
    case 'fs.type':
      return isValidFsType(value) ? undefined : error(`"${value}" is not a valid type.`);
    case 'net.address':
    case 'net.allowed-address':
    case 'net.defrouter': {
      const m = checkNetAddress(value);
      return m ? error(m) : undefined;
    }
    case 'net.physical': {
      const m = checkNetPhysical(value, ipType);
      return m ? error(m) : undefined;
    }
    case 'rctl.name': {
      const m = rctlNameError(value);
      return m ? { message: m, isError: false } : undefined;
    }
    case 'dedicated-cpu.ncpus':
      return isValidNcpus(value) ? undefined : error('ncpus property is out of range.');
    case 'dedicated-cpu.importance':
      return /^\d+$/.test(value) ? undefined : error('importance property is out of range.');
    case 'capped-cpu.ncpus': {
      // The same rules end applies, run now on a scratch copy so the user hears at once.
      const m = writeCappedCpu(structuredClone(cfg), { type: 'capped-cpu', props: { ncpus: value } });
      return m ? error(m) : undefined;
    }
    case 'capped-memory.physical':
    case 'capped-memory.swap':
    case 'capped-memory.locked': {
      const m = writeCappedMemory(structuredClone(cfg), { type: 'capped-memory', props: { [prop]: value } }, { isGlobal });
      return m ? error(m) : undefined;
    }
    default:
      return undefined;
  }
}
