/** Run as a separate process by log.test.ts: appends `count` events to the log at `path`, as fast as it can. */
import { openAuditLog } from '../../../src/apply/audit/index.js';
import { stepRecord } from './records.js';

const [path, count, offset] = process.argv.slice(2);
const log = await openAuditLog(path!);
for (let index = 0; index < Number(count); index += 1) {
  await log.append(stepRecord(Number(offset) + index));
}
