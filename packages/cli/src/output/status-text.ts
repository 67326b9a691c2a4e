/** One way to show a server or tool status everywhere in the CLI. */
import type { ServerStatus } from '@toolwire/core';
import type { Style } from './terminal.js';

export function statusText(status: ServerStatus, style: Style): string {
  switch (status) {
    case 'active':
      return style.green('active');
    case 'failed':
      return style.red('failed');
    case 'loading':
      return style.yellow('loading');
    case 'disabled':
      return style.dim('disabled');
    default:
      return style.dim(status);
  }
}
