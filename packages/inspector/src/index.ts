/**
 * @toolwire/inspector: a live web view of a toolwire registry, as a web `fetch` handler (any
 * runtime). The Node `http` form is in `@toolwire/inspector/node`. Every public symbol is named here.
 */
export { randomToken } from './access/token-gate.js';
export type { InspectorHandler, InspectorOptions } from './http/inspector-handler.js';
export { createInspectorHandler } from './http/inspector-handler.js';
export type {
  CallLogEntry,
  CallResultView,
  ErrorView,
  ServerView,
  StatsView,
  ToolView,
} from './state/views.js';
