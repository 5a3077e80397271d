/**
 * The default of every switch over a closed union (event kinds, stop
 * reasons, messages): a member added later is a compile error there, and
 * if a value outside the union still arrives at run time it says so.
 */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
