/**
 * Waits until a JWT's own `exp` has passed on this machine's clock (which the verifier reads),
 * plus a small margin: a token minted with a 1 s lifetime is expired after at most about a second,
 * instead of a fixed sleep long enough for the worst case of the `exp` rounding.
 */
export async function waitPastExpiry(token: string): Promise<void> {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
    exp?: number;
  };
  if (typeof payload.exp !== 'number') throw new Error('the token has no exp claim');
  // Expired once the verifier's whole seconds reach exp: exp * 1000 ms; 100 ms past that.
  const wait = payload.exp * 1000 + 100 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
