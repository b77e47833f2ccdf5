/**
 * Golden files: what users see, reviewed like code. `UPDATE_GOLDEN=1 npx vitest run test/render` rewrites them;
 * otherwise a test fails on any difference.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const GOLDEN_DIR = fileURLToPath(new URL('../fixtures/render/', import.meta.url));

export function expectGolden(name: string, actual: string): void {
  const file = `${GOLDEN_DIR}${name}`;
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${file} is missing; create it with UPDATE_GOLDEN=1`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

export const PLAN_HASH = 'sha256:4be1a0c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e89c0e';
