import { describe, expect, it } from 'vitest';
import { parseServersConfig } from '../config/parse-config.js';
import { serverFingerprint, serverIdentity } from './server-fingerprint.js';

function definitionOf(entry: Record<string, unknown>, name = 'server') {
  return parseServersConfig({ servers: { [name]: entry }, env: {} }).servers[0]!;
}

describe('serverFingerprint', () => {
  // URL userinfo is refused by the config itself (CONFIG_INVALID), so it never reaches a key.
  it('never contains secrets: headers, auth, env values and URL query values stay out', async () => {
    const http = definitionOf({
      url: 'https://api.example.com/mcp?api_key=sk-SECRET&region=eu',
      headers: { Authorization: 'Bearer sk-HEADER-SECRET' },
    });
    const stdio = definitionOf({ command: 'node', args: ['server.js'], env: { API_TOKEN: 'sk-ENV-SECRET' } });
    for (const definition of [http, stdio]) {
      const identity = JSON.stringify(serverIdentity(definition));
      expect(identity).not.toMatch(/SECRET/);
    }
    expect(serverIdentity(http).url).toBe('https://api.example.com/mcp?api_key&region');
    expect(serverIdentity(stdio).envNames).toEqual(['API_TOKEN']);
    expect(await serverFingerprint(http)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with what identifies a server, not with secrets', async () => {
    const base = { command: 'node', args: ['server.js'], env: { TOKEN: 'one' } };
    const same = await serverFingerprint(definitionOf(base));
    expect(await serverFingerprint(definitionOf({ ...base, env: { TOKEN: 'two' } }))).toBe(same);
    expect(await serverFingerprint(definitionOf({ ...base, args: ['other.js'] }))).not.toBe(same);
    expect(await serverFingerprint(definitionOf({ ...base, enabledTools: ['read_*'] }))).not.toBe(same);
    expect(await serverFingerprint(definitionOf(base, 'renamed'))).not.toBe(same);
    const url = { url: 'https://example.com/mcp', headers: { Authorization: 'Bearer a' } };
    expect(await serverFingerprint(definitionOf(url))).toBe(
      await serverFingerprint(definitionOf({ ...url, headers: { Authorization: 'Bearer b' } })),
    );
    expect(await serverFingerprint(definitionOf(url))).not.toBe(
      await serverFingerprint(definitionOf({ ...url, type: 'sse' })),
    );
  });
});
