// Jest global setup: the host as it was before the run (scripts/jest/leaks.mjs).
import { snapshot } from './leaks.mjs';

export default function setup() {
  globalThis.__zonesHostBefore = snapshot();
}
