#!/usr/bin/env node
import { execute } from '@oclif/core';
import { separateCommandWords } from '../dist/argv.js';

await execute({ args: separateCommandWords(process.argv.slice(2)), dir: import.meta.url });
