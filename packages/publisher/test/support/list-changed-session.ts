/**
 * A 2025-era session (SDK v2 client pinned to the legacy era) with a bearer token, recording each
 * `list_changed` it hears, in order: for tests of which callers are told their lists changed.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

export interface ListChangedSession {
  client: Client;
  /** `tools` / `prompts` for each `notifications/…/list_changed` heard, in order. */
  heard: string[];
  /** The names of the tools the session lists now. */
  names(): Promise<string[]>;
}

/** Connects to `url` as the holder of `token`; the client is added to `clients` for closing. */
export async function connectListChangedSession(options: {
  url: string;
  token: string;
  name: string;
  clients: Client[];
}): Promise<ListChangedSession> {
  const heard: string[] = [];
  const client = new Client(
    { name: options.name, version: '1.0.0' },
    { versionNegotiation: { mode: 'legacy' } },
  );
  client.setNotificationHandler('notifications/tools/list_changed', () => {
    heard.push('tools');
  });
  client.setNotificationHandler('notifications/prompts/list_changed', () => {
    heard.push('prompts');
  });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(options.url), {
      requestInit: { headers: { authorization: `Bearer ${options.token}` } },
    }),
  );
  options.clients.push(client);
  const names = async () => (await client.listTools()).tools.map((listed) => listed.name);
  return { client, heard, names };
}
