/** Lab 04 (docs/labs/04-big-zone.md) through lab-harness.ts: a whole-root zone from the shared bootstrap cache. */
import { labSuite } from './lab-harness.js';

labSuite(4, { bootstrapCache: true });
