/**
 * The few Redis commands the publisher's Redis stores use, typed as ioredis has them (any client
 * with the same commands works), and Lua scripts run by digest with a fallback to the full text
 * when the server does not know the script yet (after a restart or failover).
 */

/** The Redis commands used (ioredis's signatures). */
export interface RedisClientLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'PX', milliseconds: number): Promise<unknown>;
  pexpire(key: string, milliseconds: number): Promise<number>;
  del(...keys: string[]): Promise<unknown>;
  eval(script: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>;
  evalsha(sha1: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>;
}

const digests = new Map<string, Promise<string>>();

function sha1(script: string): Promise<string> {
  let digest = digests.get(script);
  if (!digest) {
    digest = crypto.subtle
      .digest('SHA-1', new TextEncoder().encode(script))
      .then((buffer) =>
        [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, '0')).join(''),
      );
    digests.set(script, digest);
  }
  return digest;
}

/** Runs `script` with `keys` and `args`: by digest, or by text when Redis answers NOSCRIPT. */
export async function runScript(
  redis: RedisClientLike,
  script: string,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(await sha1(script), keys.length, ...keys, ...args);
  } catch (error) {
    if (!String((error as { message?: unknown })?.message ?? '').startsWith('NOSCRIPT')) throw error;
    return redis.eval(script, keys.length, ...keys, ...args);
  }
}
