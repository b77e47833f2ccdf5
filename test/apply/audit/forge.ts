/**
 * What anyone who can write an audit log can do without its key: append an event chained onto the last line, with
 * the sha256 recomputed, marked keyed or not.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { hashOf } from '../../../src/apply/audit/chain.js';
import type { AuditEvent, AuditRecord } from '../../../src/model/audit.js';

export async function appendForged(path: string, record: AuditRecord, marked: { keyed: boolean }): Promise<AuditEvent> {
  const last = JSON.parse((await readFile(path, 'utf8')).trimEnd().split('\n').at(-1)!) as AuditEvent;
  const unsealed = {
    ...record,
    ...(marked.keyed ? { keyed: true as const } : {}),
    seq: last.seq + 1,
    previousHash: last.hash,
  };
  const forged = { ...unsealed, hash: hashOf(unsealed) };
  await appendFile(path, `${JSON.stringify(forged)}\n`);
  return forged;
}
