// Turns one run's results into docs/benchmarks.md (and the chart it shows): the machine, the
// method, the targets with their verdicts, then one section per benchmark. Everything in the page
// comes from the run; the page is rewritten whole by every `pnpm bench`.
import { barChart } from './chart.mjs';
import { CONTENDERS } from './contenders.mjs';
import { count, duration, megabytes, table, times } from './format.mjs';

export const CHART_FILE = 'benchmarks.svg';

/** `{ markdown, svg }` for a run: `{ machine, results, targets, history, options }`. */
export function renderReport({ machine, results, targets, history, options }) {
  const sections = [
    header(machine, options),
    targetsSection(targets),
    perCallSection(results['per-call']),
    startUpSection(results['start-up']),
    publisherSection(results.publisher, results['publisher-fleet']),
    schemaSection(results.schema),
    memorySection(results.memory),
    variationSection(history),
  ];
  return { markdown: `${sections.filter(Boolean).join('\n\n')}\n`, svg: chart(results) };
}

function header(machine, options) {
  return [
    '# Benchmarks',
    '',
    `Written by \`pnpm bench\` (\`bench/src/run-all.mjs\`) on ${machine.date.slice(0, 10)}; every run rewrites this page, so edit the script, not the page.${options.scale === 1 ? '' : ` **This run used reduced iteration counts (scale ${options.scale}).**`}`,
    '',
    '## Machine',
    '',
    table(
      ['CPU', 'cores', 'memory', 'Node', 'OS', 'load average at start (1/5/15 min)'],
      [
        [
          machine.cpu,
          String(machine.cores),
          `${machine.memoryGiB.toFixed(0)} GiB`,
          machine.node,
          machine.os,
          machine.loadAverage.join(' / '),
        ],
      ],
      ['left', 'right', 'right', 'left', 'left', 'right'],
    ),
    '',
    '## Method',
    '',
    '- Every benchmark runs in one process run with all of its rows: in each iteration every row takes one turn, in an order shuffled anew each iteration (fixed seed), so load from elsewhere on the machine falls on all rows alike and no row always follows the same one. Warm-up iterations run the same loop and are discarded.',
    '- Each row reports the median and the p99 (nearest rank; with few samples the p99 is the slowest one) and its **ratio to the baseline row of the same run** (the raw MCP SDK v2 client unless said otherwise). Only ratios from one run mean anything: absolute times move with the machine and its load (this machine has two shared cores).',
    "- Servers are real processes on this machine: our own minimal MCP server (`bench/src/servers/minimal-server.mjs`: no SDK, no logging) for per-call rows, so the clients' costs are what is measured; the reference `@modelcontextprotocol/server-memory` for start-up rows. HTTP servers listen on 127.0.0.1 only.",
    '- Versions: the alternatives are pinned dev dependencies of `bench/` (see `bench/package.json`).',
  ].join('\n');
}

function targetsSection(targets) {
  const mark = (target) => (target.met === undefined ? 'pending' : target.met ? 'met' : '**missed**');
  const lines = [
    '## Targets',
    '',
    table(
      ['target (from the issue)', 'this run', 'verdict'],
      targets.map((target) => [target.text, target.measured, mark(target)]),
      ['left', 'right', 'left'],
    ),
  ];
  const explained = targets.filter((target) => target.why);
  if (explained.length > 0) {
    lines.push('', 'Where a target is missed or not measured, why:', '');
    for (const target of explained) lines.push(`- **${target.text}**: ${target.why}`);
  }
  return lines.join('\n');
}

function perCallSection(perCall) {
  if (!perCall) return undefined;
  const lines = [
    '## 1. Per-call overhead',
    '',
    "One tool (`echo`) on the minimal server; every row has its own connection to its own copy of the server, made anew for each of several blocks of the run (so no row keeps one server process's luck with the scheduler for the whole run). Sequential rows time each call. Rows with 16 or 256 calls in flight time a batch of concurrent calls and divide by the batch size (time per call at that concurrency; 1 s divided by it is the throughput). Framework tools are invoked as their agent loops do: LangChain tools with a `ToolCall` (returns a `ToolMessage`), AI SDK tools by validating the input against `inputSchema` and then calling `execute`. The toolwire rows use a default registry (`cache: 'none'`).",
    '',
    `![Per-call and start-up medians](${CHART_FILE})`,
  ];
  for (const transport of ['stdio', 'http']) {
    const rows = perCall.rows.filter((row) => row.transport === transport);
    if (rows.length === 0) continue;
    const cell = (name, concurrency) =>
      rows.find((row) => row.contender === name && row.concurrency === concurrency);
    lines.push(
      '',
      `### ${transport === 'stdio' ? 'stdio' : 'Streamable HTTP (127.0.0.1)'}`,
      '',
      table(
        [
          'client',
          'sequential: median',
          'p99',
          '× raw v2',
          '16 in flight: per call',
          'p99',
          '× raw v2',
          '256 in flight: per call',
          'p99',
          '× raw v2',
        ],
        CONTENDERS.map((name) => [
          name,
          ...[1, 16, 256].flatMap((concurrency) => {
            const row = cell(name, concurrency);
            return row
              ? [duration(row.medianMs), duration(row.p99Ms), times(row.ratio)]
              : ['n/a', 'n/a', 'n/a'];
          }),
        ]),
      ),
    );
  }
  const samples = perCall.rows[0]?.samples;
  lines.push('', `Samples per sequential row: ${count(samples)}.`);
  if (perCall.frameworkFloors?.length) {
    lines.push(
      '',
      "What the frameworks' own tool machinery costs per call with no MCP at all (in-process, no-op tools; part of every LangChain or AI SDK tool call whichever library made the tool):",
      '',
      table(
        ['no-op tool', 'median', 'p99'],
        perCall.frameworkFloors.map((floor) => [floor.name, duration(floor.medianMs), duration(floor.p99Ms)]),
      ),
    );
  }
  return lines.join('\n');
}

function startUpSection(startUp) {
  if (!startUp) return undefined;
  const counts = [...new Set(startUp.rows.map((row) => row.servers))];
  const names = [...new Set(startUp.rows.map((row) => row.contender))];
  const cell = (name, servers) =>
    startUp.rows.find((row) => row.contender === name && row.servers === servers);
  const header = [
    'how',
    ...counts.flatMap((servers) => [
      `${servers} server${servers === 1 ? '' : 's'}: median`,
      'p99',
      '× floor',
    ]),
  ];
  return [
    '## 2. Start-up',
    '',
    'From nothing to framework tools in hand for N stdio servers (`@modelcontextprotocol/server-memory`, 9 tools each). The toolwire rows include `toLangChainTools(registry)`; "eager, cold cache" starts with an empty file cache (and writes it); "lazy, warm cache" reads the catalogue written by an earlier start and spawns nothing; "+ first call" adds the first tool call (which spawns that one server). `@ai-sdk/mcp` has no multi-server client: its row connects the servers in parallel by hand, as the raw SDK row does. Every row closes its servers (untimed), and the next row starts only when they have all exited.',
    '',
    table(
      header,
      names.map((name) => [
        name,
        ...counts.flatMap((servers) => {
          const row = cell(name, servers);
          return row
            ? [duration(row.medianMs), duration(row.p99Ms), times(row.ratio)]
            : ['n/a', 'n/a', 'n/a'];
        }),
      ]),
    ),
    '',
    `Samples per row: ${counts.map((servers) => `${cell(names[0], servers)?.samples} (${servers})`).join(', ')}.`,
  ].join('\n');
}

function publisherSection(publisher, fleet) {
  const lines = ['## 3. Publisher'];
  if (!publisher?.rows?.length) {
    lines.push('', '**Pending**: the publisher rows were not measured in this run.');
    return lines.join('\n');
  }
  lines.push(
    '',
    `The same \`add\` tool served over Streamable HTTP on 127.0.0.1 (stateful sessions) by \`@toolwire/publisher\` with its defaults (Host/Origin checks, limits), by the raw SDK v2 server as its documentation shows it (\`McpServer\` + \`NodeStreamableHTTPServerTransport\`, one per session) and by FastMCP (\`httpStream\`), each in its own process (\`bench/src/servers/publisher-server.mjs\`), driven by the raw SDK v2 client (2025 era, which all three serve). Calls per second: ${publisher.callsPerIteration} calls on one session, ${publisher.inFlight} in flight. New session: connect (initialize + initialized) and the first \`tools/list\`. Memory: the server's live heap after GC, before and after opening ${publisher.sessionsPerBatch} sessions that then stay idle, per session.`,
    '',
    table(
      [
        'server',
        'calls/s (median)',
        '× raw',
        'new session: median',
        'p99',
        '× raw',
        'heap per idle session',
        '× raw',
      ],
      publisher.rows.map((row) => [
        row.server,
        count(row.callsPerSecond),
        times(row.callsPerSecondRatio),
        duration(row.sessionMedianMs),
        duration(row.sessionP99Ms),
        times(row.sessionRatio),
        `${row.heapPerSessionKB.toFixed(1)} KB`,
        times(row.heapRatio),
      ]),
    ),
    '',
    `Samples per row: ${publisher.rows[0].samples.throughput} throughput rounds, ${publisher.rows[0].samples.sessions} new sessions, ${publisher.rows[0].samples.memory} memory batches. FastMCP logs "could not infer client capabilities after 10 attempts" for these sessions: after a session connects it polls for the client's capabilities before the session is ready, which is what its new-session time shows.`,
  );
  lines.push('', ...fleetLines(fleet));
  return lines.join('\n');
}

/** The publisher fleet's rows: calls per second through HAProxy for 1 and 3 instances. */
function fleetLines(fleet) {
  const lines = ['### Through a load balancer'];
  if (!fleet?.rows?.length) {
    lines.push(
      '',
      `**Pending**: the fleet rows were not measured in this run${fleet?.skipped ? ` (${fleet.skipped})` : ''}.`,
    );
    return lines;
  }
  lines.push(
    '',
    `\`@toolwire/publisher\` instances in processes of their own (\`tests/fleet/support/instance-server.mjs\`) sharing the local Redis (\`createRedisStore\`: sessions, events, pub/sub), behind HAProxy (round robin per request, no session stickiness), driven by the raw SDK v2 client through the load balancer: ${fleet.callsPerIteration} calls on one 2025-era session, ${fleet.inFlight} in flight. With 3 instances consecutive calls land on different instances, each of which serves the same session from Redis. See [deployment](deployment.md).`,
    '',
    table(
      ['fleet', 'calls/s (median)', '× 1 instance'],
      fleet.rows.map((row) => [row.fleet, count(row.callsPerSecond), times(row.callsPerSecondRatio)]),
    ),
    '',
    `Samples per row: ${fleet.rows[0].samples} rounds. All instances and HAProxy share this machine's cores with the client, so 3 instances measure the cost of spreading a session, not the gain of more hardware.`,
  );
  return lines;
}

function schemaSection(schema) {
  if (!schema) return undefined;
  const measures = [...new Set(schema.rows.map((row) => row.measure))];
  const names = [...new Set(schema.rows.map((row) => row.contender))];
  const lines = [
    '## 4. Schema work',
    '',
    `The corpus: ${schema.corpus.reference} real schemas of the reference servers (\`bench/corpus/reference-tools.json\`, input and output schemas of \`server-everything\`, \`-filesystem\`, \`-memory\`) and ${schema.corpus.hard} hard cases (\`bench/corpus/hard-cases.json\`: recursion, draft-07 and 2020-12 tuples, a 200-property object, deep nesting, a 1000-value enum, unions, formats, conditionals, a reused \`$id\`, 2019-09). Baseline: the validator the raw SDK v2 client uses (\`AjvJsonSchemaValidator\`). Each iteration starts from a fresh validator; the per-schema rows exclude the one-time engine set-up, which has its own row.`,
    '',
    table(
      ['measure', ...names.flatMap((name) => [`${name}: median`, 'p99']), '× baseline'],
      measures.map((measure) => {
        const rows = names.map((name) =>
          schema.rows.find((row) => row.measure === measure && row.contender === name),
        );
        return [
          measure,
          ...rows.flatMap((row) => [duration(row.medianMs), duration(row.p99Ms)]),
          times(rows.at(-1).ratio),
        ];
      }),
    ),
    '',
    'Correctness on the same corpus (a valid sample rejected or an invalid one accepted is a wrong verdict):',
    '',
    table(
      ['validator', 'schemas that do not compile', 'wrong verdicts'],
      schema.correctness.map((entry) => [
        entry.contender,
        entry.compileFailures.length ? entry.compileFailures.join(', ') : 'none',
        entry.wrongVerdicts.length ? entry.wrongVerdicts.join(', ') : 'none',
      ]),
      ['left', 'left', 'left'],
    ),
    '',
    "toolwire's engine set-up is slower because it checks every schema against its dialect's meta-schema before compiling it (the meta-schema validator is compiled once per engine): a broken server schema is then reported and left to the server to enforce, instead of being compiled into a validator that checks something else. It detects the dialect (a draft-07 tuple without `$schema`) and compiles each schema in its own `$id` scope, which is where the baseline's wrong verdicts above come from. The set-up happens once per registry, on the first validation of each dialect.",
  ];
  return lines.join('\n');
}

function memorySection(memory) {
  if (!memory) return undefined;
  return [
    '## 5. Memory',
    '',
    `RSS of a process holding a registry whose catalogue has ${memory.servers} servers × ${memory.toolsPerServer} tools (the corpus's real tools, in turn), loaded with \`loading: 'lazy'\` from a prefilled file cache so that no server is spawned, against a process holding an empty registry. Each side runs in a fresh child process (the same modules loaded on every side), measured after forced GC; median of ${memory.rows[0].samples} runs per side.`,
    '',
    table(
      ['process holds', 'tools', 'RSS', 'added RSS', 'heap used', 'added heap'],
      memory.rows.map((row) => [
        row.side === 'empty'
          ? 'an empty registry'
          : row.side === 'catalogue'
            ? 'the catalogue'
            : `the catalogue + ${row.side.split('+')[1] === 'langchain' ? 'toLangChainTools()' : 'toAISDKTools()'} of all tools`,
        count(row.tools),
        megabytes(row.rssMB),
        megabytes(row.addedRssMB),
        megabytes(row.heapUsedMB),
        megabytes(row.addedHeapMB),
      ]),
    ),
  ].join('\n');
}

function variationSection(history) {
  if (!history || history.length < 2) return undefined;
  const keys = [...new Set(history.flatMap((run) => run.targets.map((target) => target.id)))];
  const rows = [];
  for (const key of keys) {
    const values = history.map((run) => run.targets.find((target) => target.id === key)).filter(Boolean);
    if (values.length < 2 || values.some((target) => target.measured === 'pending')) continue;
    rows.push([
      values[0].text,
      ...history.map(
        (run) => run.targets.find((target) => target.id === key)?.measured.split(' (')[0] ?? 'n/a',
      ),
    ]);
  }
  return [
    '## Variation between runs',
    '',
    `The target ratios of the last ${history.length} full runs on this machine (newest first; the tables above are the newest run), to show how much they move from run to run:`,
    '',
    table(['target', ...history.map((run) => run.date.slice(0, 16).replace('T', ' '))], rows),
  ].join('\n');
}

function chart(results) {
  const panels = [];
  const perCall = results['per-call'];
  if (perCall) {
    panels.push({
      title: 'Per call, sequential, stdio: median (lower is better)',
      bars: CONTENDERS.map((name) => {
        const row = perCall.rows.find(
          (candidate) =>
            candidate.transport === 'stdio' && candidate.concurrency === 1 && candidate.contender === name,
        );
        return {
          label: name,
          value: row?.medianMs,
          text: row ? `${duration(row.medianMs)} (${times(row.ratio)})` : 'n/a',
          highlight: name.startsWith('toolwire'),
        };
      }),
    });
  }
  const startUp = results['start-up'];
  if (startUp) {
    const eight = startUp.rows.filter((row) => row.servers === 8);
    if (eight.length > 0) {
      panels.push({
        title: 'Start-up, 8 stdio servers: median (lower is better)',
        bars: eight.map((row) => ({
          label: row.contender,
          value: row.medianMs,
          text: `${duration(row.medianMs)} (${times(row.ratio)})`,
          highlight: row.contender.startsWith('toolwire'),
        })),
      });
    }
  }
  return barChart(panels);
}
