/** Who is acting: written into locks and audit events. */
export interface Actor {
  user: string;
  host: string;
  /** CI run URL or id, when running in CI. */
  ciRun?: string;
}

/** Who holds an environment lock, as the lock records it. */
export interface LockHolder extends Actor {
  /** When the holder took the lock (ISO 8601). */
  since: string;
  /** When the lock lapses unless renewed (ISO 8601). */
  expiresAt: string;
  planHash?: string;
}
