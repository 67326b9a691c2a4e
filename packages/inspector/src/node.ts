/**
 * @toolwire/inspector/node: the inspector for Node's `http` module. Every public symbol is named here.
 */
export type {
  InspectorNodeHandler,
  ListenInspectorOptions,
  ListeningInspector,
} from './node/node-handler.js';
export { createInspectorNodeHandler, listenInspector } from './node/node-handler.js';
