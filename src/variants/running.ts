import { UsageError } from '../errors.js';

/** `verify`/`down --variant X` must name the variant the lab is running with (or none), not silently prove another. */
export function checkRunningVariant(running: { id: string; lab: { variant?: string } }, asked: string | undefined): void {
  if (asked === undefined || asked === running.lab.variant) return;
  const actual = running.lab.variant;
  throw new UsageError(
    `lab ${running.id} is running ${actual ? `variant ${actual}` : 'without a variant'}, not variant ${asked}`,
    actual ? `use --variant ${actual}, or leave --variant out` : 'leave --variant out, or bring it down and up again with the variant',
  );
}
