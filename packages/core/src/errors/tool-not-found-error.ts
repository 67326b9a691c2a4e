/** `TOOL_NOT_FOUND`: no tool has that name; the message offers the closest names. */
import { hasMarker, ToolwireError } from './toolwire-error.js';

const marker = Symbol.for('toolwire.error.tool-not-found');

export interface ToolNotFoundErrorOptions {
  tool: string;
  suggestions: string[];
}

export class ToolNotFoundError extends ToolwireError {
  readonly [marker] = true;
  override name = 'ToolNotFoundError';
  readonly suggestions: string[];

  constructor({ tool, suggestions }: ToolNotFoundErrorOptions) {
    const hint = suggestions.length > 0 ? ` Did you mean: ${suggestions.join(', ')}?` : '';
    super({ code: 'TOOL_NOT_FOUND', message: `No tool named "${tool}".${hint}`, tool });
    this.suggestions = suggestions;
  }

  static override isInstance(error: unknown): error is ToolNotFoundError {
    return hasMarker(error, marker);
  }
}
