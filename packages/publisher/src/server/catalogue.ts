/**
 * What the publisher serves right now: its tools, prompts and resources, each enabled or not.
 * Every server instance reads it live (`tools/list`, `tools/call`, `prompts/list`, `prompts/get`,
 * `resources/list`, `resources/read`…), so a change made at run time (`publisher.addTools`,
 * `removeTools`, `setToolsEnabled`, the same for prompts, `addResources`, `removeResources`) is
 * what the next request sees, on every session and era; listeners hear which list changed, to
 * tell clients (`notifications/tools/list_changed`, `…/prompts/list_changed`, `…/resources/list_changed`).
 * Resources are keyed by their URI (or URI template).
 * A change is checked whole before anything is applied: a bad name changes nothing.
 */
import { ToolwireError } from '@toolwire/core';
import type { PublishedTool } from '../tools/published-tool.js';
import type { PromptDefinition, ResourceDefinition } from './define-prompt.js';
import { checkResources } from './resource-handlers.js';

/** Which list changed. */
export type ListKind = 'tools' | 'prompts' | 'resources';

interface Entry<Item> {
  item: Item;
  enabled: boolean;
}

const PROMPT_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export class Catalogue {
  private readonly toolEntries = new Map<string, Entry<PublishedTool>>();
  private readonly promptEntries = new Map<string, Entry<PromptDefinition>>();
  private readonly resourceEntries = new Map<string, Entry<ResourceDefinition>>();
  private readonly listeners = new Set<(kind: ListKind) => void>();

  /**
   * `declaresPrompts`: serve the prompts capability even while there are none (the publisher was
   * given a `prompts` list), so 2025 sessions opened before a prompt is added still learn of it.
   */
  constructor(
    tools: readonly PublishedTool[],
    prompts: readonly PromptDefinition[],
    private readonly declaresPrompts: boolean,
    resources: readonly ResourceDefinition[] = [],
    /** Likewise for resources (the publisher was given a `resources` list, even an empty one). */
    private readonly declaresResources = false,
  ) {
    this.add('tools', tools, false);
    this.add('prompts', checkPrompts(prompts), false);
    this.add('resources', checkResources(resources), false);
  }

  /** The enabled resources and resource templates, in the order they were added. */
  resources(): ResourceDefinition[] {
    return enabled(this.resourceEntries);
  }

  /** Whether servers declare the resources capability. */
  get servesResources(): boolean {
    return this.declaresResources || this.resourceEntries.size > 0;
  }

  addResources(resources: readonly ResourceDefinition[]): void {
    this.add('resources', checkResources(resources), true);
  }

  /** The enabled tools, in the order they were added. */
  tools(): PublishedTool[] {
    return enabled(this.toolEntries);
  }

  /** Every tool, enabled or not. */
  allTools(): { tool: PublishedTool; enabled: boolean }[] {
    return [...this.toolEntries.values()].map(({ item, enabled }) => ({ tool: item, enabled }));
  }

  /** An enabled tool by published name. */
  tool(name: string): PublishedTool | undefined {
    const entry = this.toolEntries.get(name);
    return entry?.enabled ? entry.item : undefined;
  }

  /** The enabled prompts, in the order they were added. */
  prompts(): PromptDefinition[] {
    return enabled(this.promptEntries);
  }

  /** An enabled prompt by name. */
  prompt(name: string): PromptDefinition | undefined {
    const entry = this.promptEntries.get(name);
    return entry?.enabled ? entry.item : undefined;
  }

  /** Whether servers declare the prompts capability. */
  get servesPrompts(): boolean {
    return this.declaresPrompts || this.promptEntries.size > 0;
  }

  addTools(tools: readonly PublishedTool[]): void {
    this.add('tools', tools, true);
  }

  addPrompts(prompts: readonly PromptDefinition[]): void {
    this.add('prompts', checkPrompts(prompts), true);
  }

  remove(kind: ListKind, names: readonly string[]): void {
    const entries = this.entries(kind);
    this.known(kind, names);
    let changed = false;
    for (const name of names) changed = entries.delete(name) || changed;
    if (changed) this.changed(kind);
  }

  setEnabled(kind: ListKind, names: readonly string[], enabled: boolean): void {
    const entries = this.entries(kind);
    this.known(kind, names);
    let changed = false;
    for (const name of names) {
      const entry = entries.get(name) as Entry<unknown>;
      if (entry.enabled !== enabled) {
        entry.enabled = enabled;
        changed = true;
      }
    }
    if (changed) this.changed(kind);
  }

  /** Calls `listener` after each change, with the list that changed; returns the unsubscribe. */
  onChange(listener: (kind: ListKind) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private entries(kind: ListKind): Map<string, Entry<unknown>> {
    if (kind === 'resources') return this.resourceEntries;
    return kind === 'tools' ? this.toolEntries : this.promptEntries;
  }

  private add(
    kind: ListKind,
    items: readonly (PublishedTool | PromptDefinition | ResourceDefinition)[],
    notify: boolean,
  ): void {
    const entries = this.entries(kind);
    const seen = new Set<string>();
    const keyOf = (item: (typeof items)[number]) =>
      kind === 'resources' ? (item as ResourceDefinition).uri : item.name;
    for (const item of items) {
      const key = keyOf(item);
      if (entries.has(key) || seen.has(key)) {
        throw new ToolwireError({
          code: 'CONFIG_INVALID',
          ...(kind === 'tools' ? { tool: key } : {}),
          message:
            kind === 'resources'
              ? `A resource with URI (template) "${key}" is already published; remove it first.`
              : `A ${kind === 'tools' ? 'tool' : 'prompt'} named "${key}" is already published; remove it first or rename the new one.`,
        });
      }
      seen.add(key);
    }
    for (const item of items) entries.set(keyOf(item), { item, enabled: true });
    if (notify && items.length > 0) this.changed(kind);
  }

  /** Throws, naming them, when any of `names` is not published (enabled or not). */
  private known(kind: ListKind, names: readonly string[]): void {
    const entries = this.entries(kind);
    const unknown = names.filter((name) => !entries.has(name));
    if (unknown.length === 0) return;
    const what = kind === 'tools' ? 'tool' : kind === 'prompts' ? 'prompt' : 'resource';
    throw new ToolwireError({
      code: kind === 'tools' ? 'TOOL_NOT_FOUND' : 'CONFIG_INVALID',
      ...(kind === 'tools' && unknown.length === 1 ? { tool: unknown[0] } : {}),
      message: `No published ${what} is ${kind === 'resources' ? 'at' : 'named'} ${unknown.map((name) => `"${name}"`).join(', ')}; nothing was changed.`,
    });
  }

  private changed(kind: ListKind): void {
    for (const listener of [...this.listeners]) listener(kind);
  }
}

function enabled<Item>(entries: Map<string, Entry<Item>>): Item[] {
  const items: Item[] = [];
  for (const entry of entries.values()) if (entry.enabled) items.push(entry.item);
  return items;
}

/** Prompts are served by our own handlers: check what the SDK's `registerPrompt` used to. */
function checkPrompts(prompts: readonly PromptDefinition[]): readonly PromptDefinition[] {
  prompts.forEach((prompt, index) => {
    const name: unknown = prompt?.name;
    const where = typeof name === 'string' ? `Prompt "${name}"` : `prompts[${index}]`;
    if (typeof name !== 'string' || !PROMPT_NAME.test(name)) {
      throw configError(`${where} needs a name of letters, digits, "_", "-" or "." (1-128 characters).`);
    }
    if (typeof prompt.get !== 'function') throw configError(`${where} has no get function.`);
    const argumentNames = new Set<string>();
    for (const argument of prompt.arguments ?? []) {
      if (typeof argument?.name !== 'string' || argument.name === '' || argumentNames.has(argument.name)) {
        throw configError(`${where} has an argument without a name, or two arguments with the same name.`);
      }
      argumentNames.add(argument.name);
    }
  });
  return prompts;
}

function configError(message: string): ToolwireError {
  return new ToolwireError({ code: 'CONFIG_INVALID', message });
}
