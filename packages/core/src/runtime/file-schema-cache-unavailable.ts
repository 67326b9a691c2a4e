/**
 * What `#file-schema-cache` resolves to on runtimes without a file system: the registry only
 * loads it where `process.versions.node` exists (workerd's Node compatibility sets it), and falls
 * back to the memory cache when this throws.
 */
import type * as FileSchemaCache from '../cache/file-schema-cache.js';
import { ToolwireError } from '../errors/toolwire-error.js';

export const createFileSchemaCache: typeof FileSchemaCache.createFileSchemaCache = () => {
  throw new ToolwireError({
    code: 'CACHE_ERROR',
    message:
      'the file schema cache needs a file system; this runtime has none (use cache: "memory" or a store)',
  });
};
