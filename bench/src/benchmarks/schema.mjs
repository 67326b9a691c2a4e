// Schema work: compile and validate every schema of the corpus (the reference servers' real tool
// schemas plus the hard cases in corpus/), with core's JSONSchemaValidator and with the raw SDK
// v2 client's validator (`AjvJsonSchemaValidator`, what the SDK uses for output schemas) as the
// baseline. Each iteration starts both from a fresh validator whose engines are already made (the
// engines' one-time set-up is measured apart), then compiles every schema once and validates each
// schema's valid and invalid sample in a batch. Also counted: verdicts that are wrong (a valid
// sample rejected, an invalid one accepted) and schemas that do not compile.
import { readFileSync } from 'node:fs';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';
import { JSONSchemaValidator } from '@toolwire/core';
import { interleave } from '../lib/interleave.mjs';
import { pairedRatio, ratio, summarize } from '../lib/stats.mjs';

export const CONTENDERS = ['SDK v2 AjvJsonSchemaValidator', 'toolwire JSONSchemaValidator'];
export const MEASURES = [
  'engine set-up (new validator, first compile)',
  'compile, per schema',
  'validate valid arguments, per call',
  'validate invalid arguments, per call',
];
export const FULL = { iterations: 30, warmup: 3, batch: 200 };

/** The corpus: every schema with its samples, tagged with where it came from. */
export function loadCorpus() {
  const reference = JSON.parse(
    readFileSync(new URL('../../corpus/reference-tools.json', import.meta.url), 'utf8'),
  );
  const hard = JSON.parse(readFileSync(new URL('../../corpus/hard-cases.json', import.meta.url), 'utf8'));
  const entries = [];
  for (const server of reference.servers) {
    for (const tool of server.tools) {
      entries.push({
        name: `${server.package}/${tool.name}`,
        kind: 'reference',
        schema: tool.inputSchema,
        samples: tool.samples,
      });
      if (tool.outputSchema) {
        entries.push({
          name: `${server.package}/${tool.name} (output)`,
          kind: 'reference',
          schema: tool.outputSchema,
          samples: {},
        });
      }
    }
  }
  for (const item of hard.cases)
    entries.push({ name: item.name, kind: 'hard', schema: item.inputSchema, samples: item.samples });
  return entries;
}

/** Both validators behind one face: `compile(schema) → (value) → boolean`. */
const adapters = {
  [CONTENDERS[0]]: () => {
    const validator = new AjvJsonSchemaValidator();
    return (schema) => {
      const check = validator.getValidator(schema);
      return (value) => check(value).valid;
    };
  },
  [CONTENDERS[1]]: () => {
    const validator = new JSONSchemaValidator();
    return (schema) => {
      const compiled = validator.compile(schema);
      if (compiled.compileError) throw new Error(compiled.compileError);
      return (value) => compiled.validate(value).valid;
    };
  },
};

/** Fresh copies, so no validator can answer from a cache keyed by the schema object. */
function freshSchemas(entries) {
  return entries.map((entry) => structuredClone(entry.schema));
}

export async function run({ scale = 1, log = () => {} } = {}) {
  const entries = loadCorpus();
  const iterations = Math.max(2, Math.round(FULL.iterations * scale));
  const warmup = Math.max(1, Math.round(FULL.warmup * scale));
  const batch = Math.max(5, Math.round(FULL.batch * scale));
  log(`schema: ${entries.length} schemas, ${iterations} iterations, batches of ${batch}`);

  const findings = Object.fromEntries(
    CONTENDERS.map((name) => [name, { compileFailures: new Set(), wrongVerdicts: new Set() }]),
  );
  const collected = Object.fromEntries(
    CONTENDERS.map((name) => [name, Object.fromEntries(MEASURES.map((measure) => [measure, []]))]),
  );
  const corpusTotals = Object.fromEntries(CONTENDERS.map((name) => [name, []]));

  await interleave({
    rows: CONTENDERS.map((name) => ({ name })),
    iterations,
    warmup,
    measure: (row, round) => {
      const keep = round >= 0;
      const samples = collected[row.name];
      const found = findings[row.name];
      const setUpStarted = performance.now();
      const compile = adapters[row.name]();
      // Make every engine now (2020-12, 2019-09, draft-07): their set-up is not per-schema work.
      compile({ type: 'object' });
      compile({ $schema: 'https://json-schema.org/draft/2019-09/schema', type: 'object' });
      compile({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' });
      if (keep) samples[MEASURES[0]].push(performance.now() - setUpStarted);

      const schemas = freshSchemas(entries);
      let corpusMs = 0;
      for (const [index, entry] of entries.entries()) {
        let check;
        const started = performance.now();
        try {
          check = compile(schemas[index]);
        } catch {
          found.compileFailures.add(entry.name);
          continue;
        }
        const compileMs = performance.now() - started;
        corpusMs += compileMs;
        if (keep) samples[MEASURES[1]].push(compileMs);
        for (const [measure, sample, expected] of [
          [MEASURES[2], entry.samples.valid, true],
          [MEASURES[3], entry.samples.invalid, false],
        ]) {
          if (sample === undefined) continue;
          if (check(sample) !== expected) found.wrongVerdicts.add(entry.name);
          const batchStarted = performance.now();
          for (let repeat = 0; repeat < batch; repeat++) check(sample);
          if (keep) samples[measure].push((performance.now() - batchStarted) / batch);
        }
      }
      if (keep) corpusTotals[row.name].push(corpusMs);
      return 0;
    },
  });

  const rows = [];
  for (const measure of MEASURES) {
    const baseline = summarize(collected[CONTENDERS[0]][measure]);
    for (const name of CONTENDERS) {
      const summary = summarize(collected[name][measure]);
      rows.push({
        measure,
        contender: name,
        medianMs: summary.median,
        p99Ms: summary.p99,
        q1Ms: summary.q1,
        q3Ms: summary.q3,
        samples: summary.count,
        ratio: ratio(summary.median, baseline.median),
      });
    }
  }
  const baselineTotal = summarize(corpusTotals[CONTENDERS[0]]);
  for (const name of CONTENDERS) {
    const summary = summarize(corpusTotals[name]);
    rows.push({
      measure: `compile the whole corpus (${entries.length} schemas)`,
      contender: name,
      medianMs: summary.median,
      p99Ms: summary.p99,
      q1Ms: summary.q1,
      q3Ms: summary.q3,
      samples: summary.count,
      ratio: ratio(summary.median, baselineTotal.median),
      // The whole corpus is compiled once per iteration by each validator: iterations pair up.
      spread: pairedRatio(corpusTotals[name], corpusTotals[CONTENDERS[0]]),
    });
  }
  return {
    id: 'schema',
    rows,
    corpus: {
      schemas: entries.length,
      reference: entries.filter((entry) => entry.kind === 'reference').length,
      hard: entries.filter((entry) => entry.kind === 'hard').length,
    },
    correctness: CONTENDERS.map((name) => ({
      contender: name,
      compileFailures: [...findings[name].compileFailures],
      wrongVerdicts: [...findings[name].wrongVerdicts],
    })),
  };
}
