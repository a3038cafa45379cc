/** Lab 01 (docs/labs/01-processes-between-zones.md) through lab-harness.ts. */
import { labSuite } from './lab-harness.js';

labSuite(1);
