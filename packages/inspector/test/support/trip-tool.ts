/**
 * A real MCP server with a deliberately rich input schema (nested objects, arrays of objects,
 * enums, a oneOf union, booleans, integers, a nullable type, a tuple the form cannot express):
 * our own publisher on 127.0.0.1, whose tool answers with the arguments it received, so a test
 * can compare what the generated form sent with what was typed.
 */
import { createPublisher, defineTool, type ListeningPublisher } from '@toolwire/publisher';

export const tripSchema = {
  type: 'object',
  properties: {
    traveller: {
      type: 'object',
      description: 'Who travels.',
      properties: {
        name: { type: 'string', description: 'Full name.' },
        age: { type: 'integer', minimum: 0 },
      },
      required: ['name'],
    },
    cabin: { type: 'string', enum: ['economy', 'business', 'first'], description: 'Cabin class.' },
    legs: {
      type: 'array',
      description: 'Flights, in order.',
      items: {
        type: 'object',
        properties: { from: { type: 'string' }, to: { type: 'string' } },
        required: ['from', 'to'],
      },
    },
    payment: {
      oneOf: [
        {
          title: 'card',
          type: 'object',
          properties: { card: { type: 'string' } },
          required: ['card'],
        },
        {
          title: 'invoice',
          type: 'object',
          properties: { purchaseOrder: { type: 'string' } },
          required: ['purchaseOrder'],
        },
      ],
    },
    insured: { type: 'boolean', description: 'Travel insurance.' },
    notes: { type: ['string', 'null'] },
    seats: {
      type: 'array',
      prefixItems: [{ type: 'string' }, { type: 'integer' }],
      description: 'Row letter and number.',
    },
  },
  required: ['traveller', 'cabin', 'legs', 'payment'],
} as const;

export async function startTripServer(): Promise<ListeningPublisher> {
  const publisher = createPublisher({
    name: 'trips',
    version: '1.0.0',
    tools: {
      book_trip: defineTool({
        name: 'book_trip',
        description: 'Books a trip. Answers with the booking request it received.',
        inputSchema: tripSchema as unknown as Record<string, unknown>,
        execute: async (args) => ({ received: args }),
      }),
    },
  });
  return publisher.listen({ host: '127.0.0.1', port: 0 });
}
