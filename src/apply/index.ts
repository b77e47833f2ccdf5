export * from './applier/index.js';
