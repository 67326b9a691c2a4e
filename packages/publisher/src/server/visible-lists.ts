/**
 * Per-caller `list_changed`: what one caller sees in a list, reduced to a fingerprint, so a change
 * (of the catalogue, or of the rules behind `toolVisibility` / `promptVisibility` /
 * `resourceVisibility`, announced with `publisher.visibilityChanged()`) is told only to the
 * callers whose own list changed. A list no visibility function shapes is the same for everyone:
 * it has no fingerprint, and every change of it is told to everyone, as without this module. A
 * change of the rules reaches the sessions and streams through `visibility-rechecks.ts`.
 */
import type { ServerBlueprint } from './build-server.js';
import type { ListKind } from './catalogue.js';
import { visiblePrompts } from './prompt-get.js';
import { visibleResources } from './resource-handlers.js';
import { type ToolCaller, visibleTools } from './tool-visibility.js';

export const LIST_KINDS: readonly ListKind[] = ['tools', 'prompts', 'resources'];

/** Whether a visibility function shapes list `kind` per caller. */
export function listIsPerCaller(blueprint: ServerBlueprint, kind: ListKind): boolean {
  if (kind === 'tools') return blueprint.toolVisibility !== undefined;
  if (kind === 'prompts') return blueprint.promptVisibility !== undefined;
  return blueprint.resourceVisibility !== undefined;
}

/** Whether any list is shaped per caller (else nothing here costs anything per session). */
export function anyListPerCaller(blueprint: ServerBlueprint): boolean {
  return LIST_KINDS.some((kind) => listIsPerCaller(blueprint, kind));
}

/**
 * What `caller` sees in list `kind` right now, as a short string: it changes when an item appears,
 * disappears or is replaced by a new definition under the same name. A visibility function that
 * throws hides the item here as in the list; its error is reported when the list is served, not
 * once more per caller on every change.
 */
export function listFingerprint(
  blueprint: ServerBlueprint,
  kind: ListKind,
  caller: ToolCaller | undefined,
): string {
  const quiet = () => {};
  const items: readonly object[] =
    kind === 'tools'
      ? visibleTools(blueprint.catalogue.tools(), blueprint.toolVisibility, caller, quiet)
      : kind === 'prompts'
        ? visiblePrompts(blueprint, caller, quiet)
        : [
            ...visibleResources(blueprint, false, caller, quiet),
            ...visibleResources(blueprint, true, caller, quiet),
          ];
  return fingerprintOf(items);
}

// Each definition object gets a number once: a redefined item (a new object under the same name)
// changes the fingerprint, so its callers are told to list again.
const identities = new WeakMap<object, number>();
let nextIdentity = 1;

function identityOf(item: object): number {
  let identity = identities.get(item);
  if (identity === undefined) {
    identity = nextIdentity++;
    identities.set(item, identity);
  }
  return identity;
}

/**
 * The fingerprint of a list: two 32-bit multiplicative hashes (FNV-1a, and the same with another
 * multiplier) of its items' identities, in order.
 */
export function fingerprintOf(items: readonly object[]): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ items.length;
  for (const item of items) {
    const identity = identityOf(item);
    for (let shift = 0; shift < 32; shift += 8) {
      const byte = (identity >>> shift) & 0xff;
      a = Math.imul(a ^ byte, 0x01000193);
      b = Math.imul(b ^ byte, 0x5bd1e995);
    }
  }
  return `${items.length}:${(a >>> 0).toString(36)}:${(b >>> 0).toString(36)}`;
}
