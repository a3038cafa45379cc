/** Lab 10 (docs/labs/10-linux-root-from-an-archive.md) through lab-harness.ts. */
import { labSuite } from './lab-harness.js';

labSuite(10);
