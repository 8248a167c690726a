/**
 * Bad input (a scenario file, a flag, a setting) is reported as one line naming where it is and which field,
 * with exit code 2 and no stack trace. Everything that reads user input throws `InputError`.
 */

export interface Where {
  file?: string;
  line?: number;
  column?: number;
  /** Dotted path of the offending field (`cluster.vpcCni.env.WARM_IP_TARGET`) or a flag (`--seed`). */
  field?: string;
}

export class InputError extends Error {
  constructor(
    readonly where: Where,
    readonly reason: string,
  ) {
    super(formatInputError(where, reason));
    this.name = 'InputError';
  }
}

export function formatInputError(where: Where, reason: string): string {
  let loc = where.file ?? '';
  if (where.file !== undefined && where.line !== undefined) {
    loc += `:${where.line}`;
    if (where.column !== undefined) loc += `:${where.column}`;
  }
  const parts = [loc, where.field].filter((p) => p !== undefined && p !== '');
  return parts.length > 0 ? `${parts.join(': ')}: ${reason}` : reason;
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, expectationFailed: 1, badInput: 2, internal: 3 } as const;
