import type { EnvironmentDocument } from './environment.js';
import type { DesiredResource } from './resources.js';

export interface DesiredState {
  environment: string;
  /** The files this state was read from, relative to the working directory. */
  files: string[];
  /**
   * sha256 of the canonical JSON of the validated document: what the file means, not its bytes, so a comment or a
   * change of layout keeps it. A plan records it, apply refuses a plan whose desired state changed since, and
   * promotion looks for it in the source's audit log.
   */
  digest: string;
  document: EnvironmentDocument;
  resources: DesiredResource[];
}
