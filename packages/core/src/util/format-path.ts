/**
 * One way to write a path into a config or into tool arguments, the way a user writes it:
 * `mcpServers.weather.args[0]`, `items[0].name`, `headers["X-Key"]`.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$-]*$/.test(segment))
      text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}

/** A path into a tool's arguments; the arguments object itself is `(arguments)`. */
export function formatArgumentPath(path: readonly (string | number)[]): string {
  return path.length === 0 ? '(arguments)' : formatPath(path);
}
