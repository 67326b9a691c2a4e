/**
 * @toolwire/langchain: registry tools as LangChain StructuredTools.
 * The adapter lands with its own issue; this entry names every public symbol.
 */
export const PACKAGE_NAME = '@toolwire/langchain';
