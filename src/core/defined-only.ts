// An options object without its undefined entries, so that spreading it keeps what is under it. Its
// own file: run-plans.ts (imported by the commands' option definitions) needs it without the runtime.
export function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
