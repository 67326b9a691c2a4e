/**
 * Which regular expressions ran on JavaScript's own engine (a backtracking one) while an action
 * ran: the proof that a catastrophic pattern was matched by the linear-time engine instead,
 * seen without timing anything. Every native match goes through `RegExp.prototype.exec`
 * (`test`, `String.prototype.match` and the rest call it), which is wrapped meanwhile.
 */
export async function nativeRegExpSources<T>(
  action: () => T | Promise<T>,
): Promise<{ value: T; sources: string[] }> {
  const original = RegExp.prototype.exec;
  const sources: string[] = [];
  RegExp.prototype.exec = function exec(this: RegExp, input: string) {
    sources.push(this.source);
    return original.call(this, input);
  };
  try {
    const value = await action();
    return { value, sources };
  } finally {
    RegExp.prototype.exec = original;
  }
}
