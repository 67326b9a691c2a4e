/**
 * `list_changed` for one long-lived server instance (a 2025-era HTTP session, a stdio
 * connection). Without visibility functions every change is told, as it always was. A list shaped
 * per caller is followed from the first time the instance serves it: the instance remembers the
 * caller that listed it last (its token, its session) and a fingerprint of what it was shown, and
 * after a change of the catalogue or of the rules (`publisher.visibilityChanged()`) it tells its
 * client only when that caller's list is no longer what it was shown. A list never served on the
 * instance is told of every catalogue change (there is nothing to compare with, and the client may
 * hold it from elsewhere), and of no change of the rules.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import type { ServerBlueprint } from './build-server.js';
import type { ListKind } from './catalogue.js';
import type { ToolCaller } from './tool-visibility.js';
import { anyListPerCaller, fingerprintOf, listFingerprint, listIsPerCaller } from './visible-lists.js';

export class ListFollower {
  private caller: ToolCaller | undefined;
  private readonly shown = new Map<ListKind, string>();

  constructor(
    private readonly blueprint: ServerBlueprint,
    private readonly tell: (kind: ListKind) => void,
  ) {}

  /** The instance served list `kind` to `caller` (`items`: what it served, when at hand). */
  listed(kind: ListKind, caller: ToolCaller | undefined, items?: readonly object[]): void {
    if (!listIsPerCaller(this.blueprint, kind)) return;
    this.caller = caller;
    this.shown.set(kind, items ? fingerprintOf(items) : listFingerprint(this.blueprint, kind, caller));
  }

  /** The catalogue's list `kind` changed. */
  catalogueChanged(kind: ListKind): void {
    if (this.shown.has(kind)) this.recheck(kind);
    else this.tell(kind);
  }

  /** The rules behind the visibility functions changed. */
  rulesChanged(): void {
    for (const kind of [...this.shown.keys()]) this.recheck(kind);
  }

  private recheck(kind: ListKind): void {
    const now = listFingerprint(this.blueprint, kind, this.caller);
    if (now === this.shown.get(kind)) return;
    this.shown.set(kind, now);
    this.tell(kind);
  }
}

/**
 * Tells `server`'s client when a list changes, until the instance closes; returns the follower
 * its list handlers report to (`undefined` when no list is shaped per caller).
 */
export function followLists(server: McpServer, blueprint: ServerBlueprint): ListFollower | undefined {
  const tell = (kind: ListKind) => {
    if (!server.isConnected()) return;
    if (kind === 'prompts' && !server.server.getCapabilities().prompts) return;
    if (kind === 'resources' && !server.server.getCapabilities().resources) return;
    const sent =
      kind === 'tools'
        ? server.server.sendToolListChanged()
        : kind === 'prompts'
          ? server.server.sendPromptListChanged()
          : server.server.sendResourceListChanged();
    // Best effort: a client that misses it (its stream is gone) lists again when it reconnects.
    sent.catch(() => {});
  };
  const follower = anyListPerCaller(blueprint) ? new ListFollower(blueprint, tell) : undefined;
  const stops = [
    blueprint.catalogue.onChange((kind) => (follower ? follower.catalogueChanged(kind) : tell(kind))),
    ...(follower ? [blueprint.rechecks.subscribe(() => follower.rulesChanged())] : []),
  ];
  const previous = server.server.onclose;
  server.server.onclose = () => {
    for (const stop of stops) stop();
    previous?.();
  };
  return follower;
}
