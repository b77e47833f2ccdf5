import type { EnvironmentDocument } from './environment.js';
import type { DesiredResource } from './resources.js';

export interface DesiredState {
  environment: string;
  /** The files this state was read from, relative to the working directory. */
  files: string[];
  /** sha256 over the files' bytes: a plan records it, and apply refuses a plan whose files changed since. */
  digest: string;
  document: EnvironmentDocument;
  resources: DesiredResource[];
}
