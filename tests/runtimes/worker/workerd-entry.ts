/** The worker as a workerd ES module (`export default { fetch }`), as on Cloudflare Workers. */
import { handle } from './handler.js';

export default { fetch: (request: Request) => handle(request) };
