/** The same for every command, as Terraform's `-detailed-exitcode`. */
export const ExitCode = {
  Success: 0,
  Error: 1,
  /** Success with changes (plan) or drift (drift), only when `--detailed-exitcode` is given. */
  Changes: 2,
  /** `strata backups`: the file is valid, but some volume is neither backed up nor marked `backup: none`. */
  Uncovered: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
