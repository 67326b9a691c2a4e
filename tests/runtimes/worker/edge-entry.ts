/** The worker as an edge-runtime script (a `fetch` event listener), as on Vercel Edge. */
import { handle } from './handler.js';

interface FetchEvent extends Event {
  request: Request;
  respondWith(response: Promise<Response>): void;
}

addEventListener('fetch', (event) => {
  const fetchEvent = event as FetchEvent;
  fetchEvent.respondWith(handle(fetchEvent.request));
});
