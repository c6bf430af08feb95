/**
 * Small structural checks used by the message type guards. No runtime dependencies beyond the
 * language itself, so the webview, the host and the worker can all use them.
 */

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite number. */
export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A string. */
export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** A non-empty string. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** A boolean. */
export function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

/** The `requestId` of a request or its answer: an integer. */
export function isRequestId(value: unknown): value is number {
  return isNumber(value) && Number.isInteger(value);
}

/** Undefined, or passes `check`. */
export function optional<T>(value: unknown, check: (v: unknown) => v is T): value is T | undefined {
  return value === undefined || check(value);
}

/** One of the given string literals. */
export function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

/** An array whose every element passes `check`. */
export function isArrayOf<T>(value: unknown, check: (v: unknown) => v is T): value is T[] {
  return Array.isArray(value) && value.every(check);
}

/** The `type` of a message-like value, for logging an unknown message. */
export function describeMessage(value: unknown): string {
  if (!isRecord(value)) return `a ${value === null ? 'null' : typeof value}`;
  return typeof value.type === 'string' ? `"${value.type}"` : 'an object without a string "type"';
}
