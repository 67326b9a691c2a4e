// Publisher rows: @toolwire/publisher against the raw SDK v2 server and FastMCP serving the same
// tool. Pending until @toolwire/publisher is in the workspace: the run then reports `pending`.

export async function run({ log = () => {} } = {}) {
  try {
    await import('@toolwire/publisher');
  } catch {
    log('publisher: @toolwire/publisher is not in the workspace yet; rows pending');
    return { id: 'publisher', pending: true, rows: [] };
  }
  throw new Error('publisher benchmark: not written yet');
}
