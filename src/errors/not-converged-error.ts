import { addressKey, type ResourceAddress } from '../model/address.js';
import type { AttributeChange } from '../model/plan.js';
import { UserError } from './user-error.js';

/** The read-back after a write did not match the plan: the step fails, naming each attribute that differs. */
export class NotConvergedError extends UserError {
  override name = 'NotConvergedError';
  readonly address: ResourceAddress;
  /** `before` is what was read back, `after` what the plan wanted. */
  readonly differences: AttributeChange[];

  /** `described` is how the read-back differs, for people (the applier words it: it knows the planner's diff). */
  constructor(address: ResourceAddress, differences: AttributeChange[], described: string, environment: string) {
    super(`${addressKey(address)} did not converge after the write: ${described}`, {
      hint: `something else may be changing it (a controller, an admission webhook); run strata plan ${environment} to see the difference`,
    });
    this.address = address;
    this.differences = differences;
  }
}
