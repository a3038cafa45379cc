/** Zone states and their numeric order (docs/reference.md#44-zone-states); range checks rely on the order. */

export type ZoneState =
  | 'configured'
  | 'incomplete'
  | 'installed'
  | 'ready'
  | 'running'
  | 'shutting_down'
  | 'down'
  | 'mounted';

/** Numeric value of each state, as in libzonecfg's zone_state_t. */
export const ZONE_STATE_ORDER: Readonly<Record<ZoneState, number>> = Object.freeze({
  configured: 0,
  incomplete: 1,
  installed: 2,
  ready: 3,
  running: 4,
  shutting_down: 5,
  down: 6,
  mounted: 7,
});

/** All states, in numeric order. */
export const ZONE_STATES: readonly ZoneState[] = Object.freeze(
  (Object.keys(ZONE_STATE_ORDER) as ZoneState[]).sort((a, b) => ZONE_STATE_ORDER[a] - ZONE_STATE_ORDER[b]),
);

/** The only states the index file records; the others are derived from the running system. */
export const PERSISTED_STATES: readonly ZoneState[] = Object.freeze(['configured', 'incomplete', 'installed']);

export function isZoneState(s: string): s is ZoneState {
  return Object.prototype.hasOwnProperty.call(ZONE_STATE_ORDER, s);
}

/** Numeric order of a state (compare with `stateNum(a) >= stateNum('installed')`). */
export function stateNum(s: ZoneState): number {
  return ZONE_STATE_ORDER[s];
}
