// The gateway benchmark's "downstream hop alone": `@toolwire/publisher` with the gateway's
// publisher defaults (stateful sessions, Host/Origin checks, limits) serving the minimal server's
// `echo` itself, same name, same JSON Schema, same result, over Streamable HTTP on 127.0.0.1,
// in a process of its own. A call to it is what any HTTP MCP server in front of the client adds,
// without the gateway's forwarding; the gateway's own work is what a gateway call costs beyond
// this hop and the direct call.
//
//   node echo-publisher-server.mjs
//
// Prints {"url": …} once listening; ends on SIGTERM or when stdin closes.
import { createPublisher, defineTool } from '@toolwire/publisher';

const publisher = createPublisher({
  name: 'bench-echo-publisher',
  version: '1.0.0',
  tools: [
    defineTool({
      name: 'minimal__echo',
      description: 'Returns the message it was given.',
      inputSchema: {
        type: 'object',
        properties: { message: { type: 'string', description: 'The text to send back' } },
        required: ['message'],
      },
      execute: ({ message }) => ({ content: [{ type: 'text', text: message }] }),
    }),
  ],
  onError: () => {},
});
const { url } = await publisher.listen();

let closing;
const stop = () => {
  closing ??= publisher.close().finally(() => process.exit(0));
  return closing;
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ url })}\n`);
