/** How long strata waits on live systems, as flags and variables set it: flag > environment variable > default. */
import { parseDuration } from '../model/duration.js';
import { UserError } from '../errors/user-error.js';
import { DEFAULT_REQUEST_TIMEOUTS, type RequestTimeouts } from '../providers/request-timeouts.js';

export interface TimeoutFlags {
  connectTimeout?: string;
  requestTimeout?: string;
}

export function requestTimeoutsFrom(flags: TimeoutFlags, env: NodeJS.ProcessEnv): RequestTimeouts {
  return {
    connectMs:
      durationMs(['--connect-timeout', flags.connectTimeout], ['STRATA_CONNECT_TIMEOUT', env.STRATA_CONNECT_TIMEOUT]) ??
      DEFAULT_REQUEST_TIMEOUTS.connectMs,
    requestMs:
      durationMs(['--request-timeout', flags.requestTimeout], ['STRATA_REQUEST_TIMEOUT', env.STRATA_REQUEST_TIMEOUT]) ??
      DEFAULT_REQUEST_TIMEOUTS.requestMs,
  };
}

/** Undefined when neither is set: the applier's default applies. */
export function stepTimeoutFrom(flag: string | undefined, env: NodeJS.ProcessEnv): number | undefined {
  return durationMs(['--step-timeout', flag], ['STRATA_STEP_TIMEOUT', env.STRATA_STEP_TIMEOUT]);
}

function durationMs(...sources: [origin: string, text: string | undefined][]): number | undefined {
  const chosen = sources.find(([, text]) => text !== undefined && text !== '');
  if (!chosen) return undefined;
  const [origin, text] = chosen as [string, string];
  const parsed = parseDuration(text);
  const example = origin.startsWith('--') ? `${origin} 30s` : `${origin}=30s`;
  if (!parsed.ok)
    throw new UserError(`${origin} is "${text}", not a duration`, {
      hint: `write a whole number and a unit, e.g. ${example} or 2m`,
    });
  if (parsed.seconds === 0)
    throw new UserError(`${origin} is 0: strata would give up at once`, { hint: `give it some time, e.g. ${example}` });
  return parsed.seconds * 1000;
}
