export * from './types.js';
export * from './schema.js';
export * from './size.js';
export * from './rctl.js';
export * from './capped.js';
export * from './privileges.js';
export * from './validate.js';
export * from './set-checks.js';
