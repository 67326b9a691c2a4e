/**
 * Per-caller `list_changed` on 2026-07-28 `subscriptions/listen` streams (SEP-2575). The SDK's
 * listen router tells every stream of every change; a list shaped per caller (a visibility
 * function) is followed here instead: when the stream is acknowledged, the lists it follows are
 * fingerprinted for its caller, and after a change of the catalogue or of the rules
 * (`publisher.visibilityChanged()`) the stream is told only when its caller's list changed. Lists
 * nobody shapes per caller stay with the SDK's router (`broadcastsListChanges`).
 */
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { ServerBlueprint } from '../server/build-server.js';
import type { ListKind } from '../server/catalogue.js';
import type { ToolCaller } from '../server/tool-visibility.js';
import { anyListPerCaller, LIST_KINDS, listFingerprint, listIsPerCaller } from '../server/visible-lists.js';
import { tapListenStream } from './listen-tap.js';

const FILTER_KEYS: Record<ListKind, string> = {
  tools: 'toolsListChanged',
  prompts: 'promptsListChanged',
  resources: 'resourcesListChanged',
};

const METHODS: Record<ListKind, string> = {
  tools: 'notifications/tools/list_changed',
  prompts: 'notifications/prompts/list_changed',
  resources: 'notifications/resources/list_changed',
};

/** Whether the SDK's router should tell every stream of a change of `kind` (nobody shapes it per caller). */
export function broadcastsListChanges(blueprint: ServerBlueprint, kind: ListKind): boolean {
  return !listIsPerCaller(blueprint, kind);
}

/**
 * `response` (the SDK's listen stream) with `list_changed` for the per-caller lists its
 * acknowledged filter follows, told when `authInfo`'s caller's list changes.
 */
export function withCallerListChanges(
  response: Response,
  authInfo: AuthInfo | undefined,
  blueprint: ServerBlueprint,
): Response {
  if (!anyListPerCaller(blueprint)) return response;
  return tapListenStream(response, (ack, write) => {
    const honored = ack.params.notifications ?? {};
    const followed = LIST_KINDS.filter(
      (kind) => listIsPerCaller(blueprint, kind) && honored[FILTER_KEYS[kind]] === true,
    );
    if (followed.length === 0) return undefined;
    const caller: ToolCaller = { authInfo, sessionId: undefined };
    const seen = new Map(followed.map((kind) => [kind, listFingerprint(blueprint, kind, caller)]));
    const recheck = (kind: ListKind) => {
      const before = seen.get(kind);
      if (before === undefined) return;
      const now = listFingerprint(blueprint, kind, caller);
      if (now === before) return;
      seen.set(kind, now);
      write(METHODS[kind]);
    };
    const stops = [
      blueprint.catalogue.onChange(recheck),
      blueprint.rechecks.subscribe(() => {
        for (const kind of followed) recheck(kind);
      }),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  });
}
