/**
 * Resumability events in Redis, per session: one list of events and one small hash (sequence,
 * bytes, how far the list was trimmed) per session, under one hash tag so a cluster keeps them
 * on one slot. Appending is one Lua script that also enforces the byte and age limits and sets
 * both keys to expire with the age limit, so nothing outlives it; a session's keys are deleted
 * when it ends.
 */
import type { JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';
import type { RedisClientLike } from './redis-client.js';
import { runScript } from './redis-client.js';
import {
  formatEventId,
  parseEventId,
  type SessionEventStore,
  type StoredEvent,
} from './session-event-store.js';

// KEYS: list, meta. ARGV: stream id, message JSON, now (ms), max age (ms), max bytes.
// Entries are "<at> <bytes> <URI-encoded stream id> <json>"; the list holds sequences dropped+1 .. seq.
// A new session's sequence starts at the clock, so ids never repeat even after its keys expired.
const APPEND = `
local now = tonumber(ARGV[3])
local maxAge = tonumber(ARGV[4])
local maxBytes = tonumber(ARGV[5])
if redis.call('HEXISTS', KEYS[2], 'seq') == 0 then
  redis.call('HSET', KEYS[2], 'seq', now - 1, 'dropped', now - 1, 'bytes', 0)
end
local seq = redis.call('HINCRBY', KEYS[2], 'seq', 1)
local dropped = tonumber(redis.call('HGET', KEYS[2], 'dropped'))
local bytes = tonumber(redis.call('HGET', KEYS[2], 'bytes'))
local size = string.len(ARGV[2])
if size > maxBytes then
  redis.call('DEL', KEYS[1])
  bytes = 0
  dropped = seq
else
  redis.call('RPUSH', KEYS[1], ARGV[3] .. ' ' .. size .. ' ' .. ARGV[1] .. ' ' .. ARGV[2])
  bytes = bytes + size
  while true do
    local head = redis.call('LINDEX', KEYS[1], 0)
    if not head then break end
    local at, headSize = string.match(head, '^(%d+) (%d+) ')
    if bytes > maxBytes or tonumber(at) < now - maxAge then
      redis.call('LPOP', KEYS[1])
      bytes = bytes - tonumber(headSize)
      dropped = dropped + 1
    else
      break
    end
  end
end
redis.call('HSET', KEYS[2], 'bytes', bytes, 'dropped', dropped)
redis.call('PEXPIRE', KEYS[1], maxAge)
redis.call('PEXPIRE', KEYS[2], maxAge)
return seq
`;

// KEYS: list, meta. ARGV: first sequence wanted (0: from the oldest retained), how many (-1: all).
// Returns { dropped, entries... } or {} for a session without events.
const RANGE = `
local dropped = redis.call('HGET', KEYS[2], 'dropped')
if not dropped then return {} end
local from = tonumber(ARGV[1]) - tonumber(dropped) - 1
if from < 0 then from = 0 end
local count = tonumber(ARGV[2])
local stop = -1
if count >= 0 then stop = from + count - 1 end
local result = { dropped }
for _, entry in ipairs(redis.call('LRANGE', KEYS[1], from, stop)) do
  table.insert(result, entry)
end
return result
`;

interface Entry {
  sequence: number;
  at: number;
  streamId: StreamId;
  json: string;
}

export function createRedisEventStore(
  redis: RedisClientLike,
  prefix: string,
  maxAgeMs: number,
  maxBytesPerSession: number,
): SessionEventStore {
  const keys = (sessionId: string) => {
    const list = `${prefix}:events:{${sessionId}}`;
    return [list, `${list}:meta`] as const;
  };
  /** Retained entries from `from` on (at most `count`), with their sequence; expired ones left out. */
  const range = async (sessionId: string, from: number, count: number) => {
    const reply = (await runScript(redis, RANGE, keys(sessionId), [from, count])) as string[];
    if (reply.length === 0) return { dropped: undefined, entries: [] as Entry[] };
    const dropped = Number(reply[0]);
    const first = Math.max(from, dropped + 1);
    const cutoff = Date.now() - maxAgeMs;
    const entries: Entry[] = [];
    reply.slice(1).forEach((raw, index) => {
      const [at, size, encodedStream] = raw.split(' ', 3) as [string, string, string];
      const json = raw.slice(at.length + size.length + encodedStream.length + 3);
      if (Number(at) >= cutoff) {
        entries.push({
          sequence: first + index,
          at: Number(at),
          streamId: decodeURIComponent(encodedStream),
          json,
        });
      }
    });
    return { dropped, entries };
  };

  return {
    async storeEvent(sessionId, streamId, message) {
      const sequence = await runScript(redis, APPEND, keys(sessionId), [
        encodeURIComponent(streamId),
        JSON.stringify(message),
        Date.now(),
        maxAgeMs,
        maxBytesPerSession,
      ]);
      return formatEventId(sessionId, Number(sequence), streamId);
    },
    async streamForEvent(sessionId, eventId) {
      const parsed = parseEventId(sessionId, eventId);
      if (!parsed || parsed.sequence === 0) return undefined;
      const { entries } = await range(sessionId, parsed.sequence, 1);
      const entry = entries[0];
      return entry?.sequence === parsed.sequence && entry.streamId === parsed.streamId
        ? entry.streamId
        : undefined;
    },
    async eventsAfter(sessionId, streamId, afterEventId) {
      let from = 0;
      if (afterEventId !== undefined) {
        const parsed = parseEventId(sessionId, afterEventId);
        if (!parsed || parsed.sequence === 0) return undefined;
        from = parsed.sequence;
      }
      const { entries } = await range(sessionId, from, -1);
      if (afterEventId !== undefined) {
        const anchor = entries[0];
        if (anchor?.sequence !== from || anchor.streamId !== parseEventId(sessionId, afterEventId)?.streamId)
          return undefined;
        entries.shift();
      }
      return entries
        .filter((entry) => entry.streamId === streamId)
        .map(
          (entry): StoredEvent => ({
            id: formatEventId(sessionId, entry.sequence, entry.streamId),
            message: JSON.parse(entry.json) as JSONRPCMessage,
          }),
        );
    },
    async deleteSession(sessionId) {
      await redis.del(...keys(sessionId));
    },
  };
}
