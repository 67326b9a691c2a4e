// Run once by hand (`node src/capture-corpus.mjs`), not by `pnpm bench`: captures the tools
// (description, annotations, schemas) of the pinned reference MCP servers into corpus/reference-tools.json, with one valid and
// one invalid argument object per tool, so the schema benchmark measures real schemas without
// spawning anything. The samples are generated from each schema and checked with core's validator
// before they are written; a sample that does not check out stops the capture.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { JSONSchemaValidator } from '@toolwire/core';
import { invalidSample, validSample } from './lib/sample-arguments.mjs';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const output = join(here, '..', 'corpus', 'reference-tools.json');
const scratch = mkdtempSync(join(tmpdir(), 'toolwire-corpus-'));

function serverEntry(packageName, args, env = {}) {
  const directory = dirname(require.resolve(`${packageName}/package.json`));
  const { version } = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
  return {
    packageName,
    version,
    command: process.execPath,
    args: [join(directory, 'dist', 'index.js'), ...args],
    env,
  };
}

const servers = [
  serverEntry('@modelcontextprotocol/server-everything', ['stdio']),
  serverEntry('@modelcontextprotocol/server-filesystem', [scratch]),
  serverEntry('@modelcontextprotocol/server-memory', [], { MEMORY_FILE_PATH: join(scratch, 'memory.jsonl') }),
];

const validator = new JSONSchemaValidator();
const corpus = { description: '', servers: [] };
try {
  for (const server of servers) {
    const client = new Client({ name: 'toolwire-corpus', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: server.command,
        args: server.args,
        env: server.env,
        stderr: 'ignore',
      }),
    );
    const { tools } = await client.listTools();
    await client.close();
    const entries = tools.map((tool) => {
      const valid = validSample(tool.inputSchema);
      const invalid = invalidSample(tool.inputSchema);
      const compiled = validator.compile(tool.inputSchema);
      if (compiled.compileError)
        throw new Error(`${tool.name}: schema does not compile: ${compiled.compileError}`);
      if (!compiled.validate(valid).valid)
        throw new Error(`${tool.name}: generated valid sample is rejected`);
      if (invalid !== undefined && compiled.validate(invalid).valid)
        throw new Error(`${tool.name}: generated invalid sample is accepted`);
      return {
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        ...(tool.annotations ? { annotations: tool.annotations } : {}),
        inputSchema: tool.inputSchema,
        ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
        samples: { valid, ...(invalid === undefined ? {} : { invalid }) },
      };
    });
    corpus.servers.push({ package: server.packageName, version: server.version, tools: entries });
    console.log(`${server.packageName}@${server.version}: ${entries.length} tools`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
corpus.description =
  'Tool schemas of the reference MCP servers, captured by src/capture-corpus.mjs (data only). ' +
  'samples.valid passes the schema; samples.invalid (absent when nothing can be invalid) fails it.';
writeFileSync(output, `${JSON.stringify(corpus, null, 2)}\n`);
console.log(`wrote ${output}`);
