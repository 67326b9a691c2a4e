/** JSONC (VS Code's `mcp.json`): comments and trailing commas, removed before `JSON.parse`. */

/** Removes `//` and `/* *\/` comments and trailing commas outside strings (VS Code's JSONC). */
export function stripJsonComments(text: string): string {
  let result = '';
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    const next = text[index + 1];
    if (inString) {
      result += char;
      if (char === '\\') {
        result += next ?? '';
        index++;
      } else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      result += char;
    } else if (char === '/' && next === '/') {
      while (index < text.length && text[index] !== '\n') index++;
      result += '\n';
    } else if (char === '/' && next === '*') {
      index += 2;
      while (index < text.length && !(text[index] === '*' && text[index + 1] === '/')) index++;
      index++;
    } else if (char === ',' && /^\s*[}\]]/.test(text.slice(index + 1, index + 200))) {
      // Trailing comma: JSON.parse rejects it, JSONC allows it.
    } else {
      result += char;
    }
  }
  return result;
}
