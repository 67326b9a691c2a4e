/**
 * The demo's own MCP server: local tools written the way teams already write them (a
 * native typed tool, a LangChain tool, an AI SDK tool), published with @toolwire/publisher on
 * 127.0.0.1 and consumed by the registry over Streamable HTTP like any remote server.
 */
import { tool as langChainTool } from '@langchain/core/tools';
import { createPublisher, defineTool, type ListeningPublisher } from '@toolwire/publisher';
import { tool as aiTool, jsonSchema } from 'ai';
import { z } from 'zod';

const factors: Record<string, { to: string; factor: number }> = {
  km: { to: 'mi', factor: 0.621371 },
  mi: { to: 'km', factor: 1.609344 },
  kg: { to: 'lb', factor: 2.204623 },
  lb: { to: 'kg', factor: 0.453592 },
};

/** A native typed tool with an output schema: its result arrives as structured content too. */
const convertUnits = defineTool({
  name: 'convert_units',
  description: 'Converts a quantity between kilometres and miles, or kilograms and pounds.',
  inputSchema: z.object({ value: z.number(), unit: z.enum(['km', 'mi', 'kg', 'lb']) }),
  outputSchema: z.object({ value: z.number(), unit: z.string() }),
  annotations: { readOnlyHint: true },
  async execute({ value, unit }, context) {
    await context.reportProgress({ progress: 1, total: 1, message: `converting ${unit}` });
    const { to, factor } = factors[unit]!;
    return { value: Math.round(value * factor * 100) / 100, unit: to };
  },
});

/** A LangChain tool, published as is. */
const wordStats = langChainTool(
  async ({ text }: { text: string }) => {
    const words = text.split(/\s+/).filter(Boolean);
    return `${words.length} words, ${text.length} characters, longest word "${words.reduce((a, b) => (b.length > a.length ? b : a), '')}"`;
  },
  {
    name: 'word_stats',
    description: 'Counts the words and characters of a text.',
    schema: z.object({ text: z.string().describe('The text to measure') }),
  },
);

const orders: Record<string, { status: string; eta: string }> = {
  'A-1001': { status: 'shipped', eta: '2026-11-24' },
  'A-1002': { status: 'packing', eta: '2026-11-27' },
};

/** AI SDK tools (a `ToolSet`: named by their keys), with a plain JSON Schema input. */
const aiTools = {
  order_status: aiTool({
    description: 'Looks up the status and delivery date of an order.',
    inputSchema: jsonSchema<{ orderId: string }>({
      type: 'object',
      properties: { orderId: { type: 'string', pattern: '^A-\\d{4}$', description: 'Order id like A-1001' } },
      required: ['orderId'],
      additionalProperties: false,
    }),
    execute: async ({ orderId }) => {
      const order = orders[orderId];
      if (!order) throw new Error(`No order ${orderId}`);
      return { orderId, ...order };
    },
  }),
};

const notesBySession = new Map<string, string[]>();

/**
 * Per-conversation state: notes kept per MCP session. The registry connects to the toolbox once
 * per conversation (`session: 'per-conversation'`), so each conversation sees only its notes.
 */
const sessionNotes = defineTool({
  name: 'session_notes',
  description: 'Notes for this conversation only: adds `note` when given, returns the notes so far.',
  inputSchema: z.object({ note: z.string().optional() }),
  outputSchema: z.object({ session: z.string(), notes: z.array(z.string()) }),
  async execute({ note }, context) {
    const session = context.sessionId ?? 'no-session';
    const notes = notesBySession.get(session) ?? [];
    if (note) notes.push(note);
    notesBySession.set(session, notes);
    return { session, notes: [...notes] };
  },
});

/** Starts the toolbox on a free loopback port. */
export async function startToolbox(): Promise<ListeningPublisher> {
  const publisher = createPublisher({
    name: 'demo-toolbox',
    version: '1.0.0',
    instructions: 'Unit conversion, text statistics and order lookups for the toolwire demo.',
    tools: [convertUnits, wordStats, aiTools, sessionNotes],
  });
  return publisher.listen();
}
