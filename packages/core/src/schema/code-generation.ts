/**
 * Whether this runtime lets code be generated from strings (`new Function`), which the compiled
 * engine (Ajv) needs. Cloudflare Workers, Vercel Edge and `node
 * --disallow-code-generation-from-strings` throw an `EvalError` instead. Asked once per process.
 */
let allowed: boolean | undefined;

export function codeGenerationAllowed(): boolean {
  if (allowed === undefined) {
    try {
      allowed = new Function('return true')() === true;
    } catch {
      allowed = false;
    }
  }
  return allowed;
}
