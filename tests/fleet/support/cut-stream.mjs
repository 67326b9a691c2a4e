// A `fetch` that cuts one SSE response mid-stream, like a dropped connection: the first response
// whose text so far satisfies `cutWhen` errors on the client side right after that chunk, and the
// server sees its client go away. Later responses pass untouched.
export function cuttingFetch(base, cutWhen) {
  let cut = false;
  const state = { cut: false };
  /** @type {typeof fetch} */
  const cutting = async (input, init) => {
    const response = await base(input, init);
    const streams = (response.headers.get('content-type') ?? '').includes('text/event-stream');
    if (cut || !streams || !response.body || init?.method !== 'POST') return response;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const body = new ReadableStream({
      async pull(controller) {
        const { value, done } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        controller.enqueue(value);
        text += decoder.decode(value, { stream: true });
        if (!cut && cutWhen(text)) {
          cut = true;
          state.cut = true;
          await reader.cancel().catch(() => {});
          controller.error(new TypeError('network connection lost (cut by the test)'));
        }
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  return { fetch: cutting, state };
}
