/** The reason an AbortSignal carries, as a user reads it ("SIGINT", "a broken pipe"). */
export function reasonOf(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'a signal';
}
