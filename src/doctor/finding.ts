/** One line of `netlab doctor`'s verdict. */
export type Status = 'ok' | 'warn' | 'fail' | 'info';

export interface Finding {
  readonly id: string;
  readonly status: Status;
  readonly title: string;
  readonly detail: string;
  /** the command that fixes it */
  readonly fix?: string;
  /** the Debian/Ubuntu package `--fix` installs for it */
  readonly package?: string;
  /** the kernel module `--fix` loads for it (now, and at boot via /etc/modules-load.d/netlab.conf) */
  readonly module?: string;
}
