/** Applying a saved plan: the engine, and the audit log it writes to. */
export * from './applier/index.js';
export * from './audit/index.js';
