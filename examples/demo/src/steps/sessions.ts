/**
 * Two conversations, two sessions: the toolbox is configured `session: 'per-conversation'`, so
 * calls with different `sessionKey`s (a chat thread id, typically) run in different MCP sessions
 * and the server's per-session state never leaks from one conversation to the other.
 */
import type { DemoStep } from '../demo-context.ts';

interface Notes {
  session: string;
  notes: string[];
}

export const sessionsStep: DemoStep = {
  title: 'Two conversations, two sessions',
  async run({ registry, print, check }) {
    const notes = async (sessionKey: string, note?: string): Promise<Notes> => {
      const result = await registry.callTool('toolbox__session_notes', note ? { note } : {}, { sessionKey });
      return result.structuredContent as unknown as Notes;
    };
    await notes('conversation-alice', 'Alice measures in kilometres');
    await notes('conversation-bob', 'Bob is waiting for order A-1002');
    const alice = await notes('conversation-alice');
    const bob = await notes('conversation-bob');
    for (const [name, seen] of [
      ['conversation-alice', alice],
      ['conversation-bob', bob],
    ] as const) {
      print(`  ${name} → MCP session ${seen.session.slice(0, 8)}…: ${JSON.stringify(seen.notes)}`);
    }
    print(
      `  toolbox connections now: ${registry.server('toolbox')?.connections} (the shared one that listed the tools, and one per conversation)`,
    );
    check(alice.session !== bob.session, 'the two conversations ran in two MCP sessions');
    check(
      JSON.stringify(alice.notes) === '["Alice measures in kilometres"]' &&
        JSON.stringify(bob.notes) === '["Bob is waiting for order A-1002"]',
      `each conversation sees only its own notes (alice ${JSON.stringify(alice.notes)}, bob ${JSON.stringify(bob.notes)})`,
    );
  },
};
