// A `fetch` for SDK client transports that records which fleet instance served each request
// (HAProxy's `x-served-by` response header), in order, and what the request carried: a JSON-RPC
// request's method, or `answer` for a client's response to a server request.
export function recordingFetch() {
  /** @type {{ method: string, carried: string | undefined, resumed: boolean, instance: string | null, status: number }[]} */
  const served = [];
  /** @type {typeof fetch} */
  const recording = async (input, init) => {
    const response = await fetch(input, init);
    served.push({
      method: init?.method ?? (input instanceof Request ? input.method : 'GET'),
      carried: carried(init?.body),
      resumed: new Headers(init?.headers).has('last-event-id'),
      instance: response.headers.get('x-served-by'),
      status: response.status,
    });
    return response;
  };
  return { fetch: recording, served };
}

function carried(body) {
  if (typeof body !== 'string') return undefined;
  try {
    const message = JSON.parse(body);
    if (typeof message?.method === 'string') return message.method;
    return 'result' in message || 'error' in message ? 'answer' : undefined;
  } catch {
    return undefined;
  }
}
