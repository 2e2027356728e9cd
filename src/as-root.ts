/** "sudo " in hints and next steps only for a user who is not root (a fresh Debian has no sudo, and root needs none). */
export function asRoot(): string {
  return process.getuid?.() === 0 ? '' : 'sudo ';
}
