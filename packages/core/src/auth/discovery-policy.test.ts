import { describe, expect, it } from 'vitest';
import { DiscoveryPolicy, isLoopbackHost, refuseInsecure } from './discovery-policy.js';

describe('discovery policy', () => {
  it('knows loopback hosts', () => {
    for (const host of ['localhost', 'api.localhost', '127.0.0.1', '127.8.9.10', '[::1]', '::1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['example.com', '10.0.0.1', '128.0.0.1', 'localhost.example.com', '169.254.169.254']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('requires https except on loopback', () => {
    expect(refuseInsecure(new URL('https://auth.example.com/x'))).toBeUndefined();
    expect(refuseInsecure(new URL('http://127.0.0.1:8080/x'))).toBeUndefined();
    expect(refuseInsecure(new URL('http://localhost/x'))).toBeUndefined();
    expect(refuseInsecure(new URL('http://auth.example.com/x'))).toMatch(/not https/);
    expect(refuseInsecure(new URL('http://169.254.169.254/latest/meta-data'))).toMatch(/not https/);
    expect(refuseInsecure(new URL('file:///etc/passwd'))).toMatch(/not https/);
  });

  it('follows the header to any https origin by default, as the spec requires', () => {
    const policy = new DiscoveryPolicy(undefined);
    const refuse = (url: string, server = 'https://mcp.example.com/mcp') =>
      policy.refuseResourceMetadata(new URL(url), server);
    expect(refuse('https://other.example.com/prm')).toBeUndefined();
    expect(refuse('https://mcp.example.com:8443/prm')).toBeUndefined();
    expect(refuse('http://169.254.169.254/latest/meta-data')).toMatch(/not https/);
    // A remote server cannot point this process at a local port over plain http.
    expect(refuse('http://127.0.0.1:2375/prm')).toMatch(/not on one/);
    // A loopback server may (local development).
    expect(refuse('http://127.0.0.1:2375/prm', 'http://127.0.0.1:8080/mcp')).toBeUndefined();
    expect(
      new DiscoveryPolicy({ allowedOrigins: 'any' }).refuseResourceMetadata(
        new URL('https://other.example.com/prm'),
        'https://mcp.example.com/mcp',
      ),
    ).toBeUndefined();
  });

  it('with allowedOrigins, lets resource metadata come from the server’s origin or a listed one, https only', () => {
    const policy = new DiscoveryPolicy({ allowedOrigins: ['https://auth.example.com'] });
    const server = 'https://mcp.example.com/mcp';
    const refuse = (url: string) => policy.refuseResourceMetadata(new URL(url), server);
    expect(refuse('https://mcp.example.com/.well-known/oauth-protected-resource/mcp')).toBeUndefined();
    expect(refuse('https://mcp.example.com/custom/metadata.json')).toBeUndefined();
    expect(refuse('https://auth.example.com/prm')).toBeUndefined();
    expect(refuse('https://other.example.com/prm')).toMatch(
      /another origin .* not in authDiscovery\.allowedOrigins/,
    );
    expect(refuse('https://mcp.example.com:8443/prm')).toMatch(/another origin/);
    expect(refuse('http://169.254.169.254/latest/meta-data')).toMatch(/not https/);
    // Plain http on the server's own (non-loopback) origin is refused too: it could be rewritten in transit.
    expect(
      policy.refuseResourceMetadata(new URL('http://mcp.internal/prm'), 'http://mcp.internal/mcp'),
    ).toMatch(/not https/);
  });
});
