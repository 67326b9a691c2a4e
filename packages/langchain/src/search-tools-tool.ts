/**
 * The discovery tool (`search_tools`) as a LangChain tool: it runs core's disclosure search and
 * answers with JSON text for the model plus the same answer as the `ToolMessage` artifact, which
 * is where the discovery middleware reads the found tools back from.
 */
import { StructuredTool } from '@langchain/core/tools';
import type { JSONSchemaObject, SearchToolsOutput, ToolDisclosure } from '@toolwire/core';

/** `search_tools` for LangChain; create it with `toLangChainDiscovery()`. */
export class SearchToolsTool extends StructuredTool<
  JSONSchemaObject,
  Record<string, unknown>,
  Record<string, unknown>,
  [string, SearchToolsOutput]
> {
  static override lc_name(): string {
    return 'SearchToolsTool';
  }

  name: string;
  description: string;
  schema: JSONSchemaObject;
  private readonly disclosure: ToolDisclosure;

  constructor(disclosure: ToolDisclosure) {
    super({ responseFormat: 'content_and_artifact' });
    this.disclosure = disclosure;
    this.name = disclosure.searchToolName;
    this.description = disclosure.searchToolDescription;
    this.schema = disclosure.searchToolInputSchema;
  }

  protected override async _call(input: Record<string, unknown>): Promise<[string, SearchToolsOutput]> {
    const output = this.disclosure.search(input);
    return [JSON.stringify(output), output];
  }
}
