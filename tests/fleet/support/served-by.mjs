// A `fetch` for SDK client transports that records which fleet instance served each request
// (HAProxy's `x-served-by` response header), in order.
export function recordingFetch() {
  /** @type {{ method: string, instance: string | null, status: number }[]} */
  const served = [];
  /** @type {typeof fetch} */
  const recording = async (input, init) => {
    const response = await fetch(input, init);
    served.push({
      method: init?.method ?? (input instanceof Request ? input.method : 'GET'),
      instance: response.headers.get('x-served-by'),
      status: response.status,
    });
    return response;
  };
  return { fetch: recording, served };
}
