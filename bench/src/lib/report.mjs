// Turns one run's results into docs/benchmarks.md (and the chart it shows): the machine, the
// method, the targets with their verdicts, then one section per benchmark. Everything in the page
// comes from the run; the page is rewritten whole by every `pnpm bench`.

import { LAZY_ROWS } from '../benchmarks/start-up.mjs';
import { barChart } from './chart.mjs';
import { CONTENDERS } from './contenders.mjs';
import { count, duration, intervalText, megabytes, spreadText, table, times } from './format.mjs';

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
    gatewaySection(results.gateway),
    cpuProfileSection(results['cpu-profile']),
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
    '- Each row reports its sample count, the median, the interquartile range (IQR) and the p99 (nearest rank; with few samples the p99 is the slowest one), and its **ratio to the baseline row of the same run** (the raw MCP SDK v2 client unless said otherwise). Only ratios from one run mean anything: absolute times move with the machine and its load (this machine has two shared cores).',
    '- Ratios come from pairs: iteration i of two rows ran back to back, so a ratio is the **median of the per-iteration ratios**, given with a 95% confidence interval of that median (order statistics of the pairs; with fewer than 6 pairs, their full range). Target verdicts are computed from that interval (see Targets).',
    "- Servers are real processes on this machine: our own minimal MCP server (`bench/src/servers/minimal-server.mjs`: no SDK, no logging) for per-call rows, so the clients' costs are what is measured, and the reference `@modelcontextprotocol/server-everything` for per-call rows on a real SDK server; the reference `@modelcontextprotocol/server-memory` for start-up rows. HTTP servers listen on 127.0.0.1 only.",
    '- Versions: the alternatives are pinned dev dependencies of `bench/` (see `bench/package.json`).',
    ...(options.failures?.length
      ? [
          '',
          '**Failed in this run** (their sections are missing and their targets pending):',
          '',
          ...options.failures.map((failure) => `- \`${failure.id}\`: ${failure.message}`),
        ]
      : []),
  ].join('\n');
}

function targetsSection(targets) {
  const mark = (target) => {
    const outcome = target.verdict ?? (target.met === undefined ? 'pending' : target.met ? 'met' : 'missed');
    return outcome === 'met' ? 'met' : outcome === 'pending' ? 'pending' : `**${outcome}**`;
  };
  const lines = [
    '## Targets',
    '',
    'Each verdict is computed from the interval, not from one median: **met** when the whole 95% interval of the ratio is within the target, **missed** when the whole interval is outside it, **inconclusive** when the interval contains the target or when there are fewer than 6 pairs (too few for a 95% interval; the range of the pairs is shown instead).',
    '',
    table(
      ['target (from the issues)', 'this run: ratio (spread, samples)', 'verdict'],
      targets.map((target) => [target.text, target.measured, mark(target)]),
      ['left', 'right', 'left'],
    ),
  ];
  const explained = targets.filter((target) => target.why);
  if (explained.length > 0) {
    lines.push('', 'Where a target is not met, why:', '');
    for (const target of explained) lines.push(`- **${target.text}**: ${target.why}`);
  }
  return lines.join('\n');
}

/** The fastest contender that is not toolwire's own, among `rows` of one loop. */
export function fastestPeer(rows) {
  return rows
    .filter((row) => !row.contender.startsWith('toolwire'))
    .reduce((best, row) => (best === undefined || row.medianMs < best.medianMs ? row : best), undefined);
}

function perCallSection(perCall) {
  if (!perCall) return undefined;
  const lines = [
    '## 1. Per-call overhead',
    '',
    "One tool (`echo`) on the minimal server (stdio and Streamable HTTP) and on the reference `@modelcontextprotocol/server-everything` (stdio, sequential calls: a real SDK server, whose `echo` validates its input); every row has its own connection to its own copy of the server, made anew for each of several blocks of the run (so no row keeps one server process's luck with the scheduler for the whole run). Sequential rows time each call. Rows with 16 or 256 calls in flight time a batch of concurrent calls and divide by the batch size (time per call at that concurrency; 1 s divided by it is the throughput). Framework tools are invoked as their agent loops do: LangChain tools with a `ToolCall` (returns a `ToolMessage`), AI SDK tools by validating the input against `inputSchema` and then calling `execute`. The toolwire rows use a default registry (`cache: 'none'`).",
    '',
    'Ratios are the median of the per-iteration ratios (each iteration measures every row once, so iteration i of two rows is a pair), with a 95% confidence interval of that median (order statistics; with fewer than 6 pairs, the range of the pairs). The **fastest peer** is the fastest client in the table that is not toolwire (named above each table); its column is every row over that client.',
    '',
    `![Per-call and start-up medians](${CHART_FILE})`,
  ];
  const setups = [...new Set(perCall.rows.map((row) => `${row.server ?? 'minimal'}:${row.transport}`))];
  for (const setup of setups) {
    const [server, transport] = setup.split(':');
    const rows = perCall.rows.filter(
      (row) => (row.server ?? 'minimal') === server && row.transport === transport,
    );
    lines.push(
      '',
      `### ${server === 'everything' ? 'server-everything' : 'Minimal server'}, ${transport === 'stdio' ? 'stdio' : 'Streamable HTTP (127.0.0.1)'}`,
    );
    for (const concurrency of [...new Set(rows.map((row) => row.concurrency))]) {
      const loop = rows.filter((row) => row.concurrency === concurrency);
      const peer = fastestPeer(loop);
      lines.push(
        '',
        `${concurrency === 1 ? 'Sequential calls' : `${concurrency} calls in flight (time per call)`}; fastest peer: ${peer?.contender ?? 'n/a'}.`,
        '',
        table(
          ['client', 'median', 'IQR', 'p99', 'samples', '× raw v2 (95% CI)', '× fastest peer (95% CI)'],
          CONTENDERS.map((name) => {
            const row = loop.find((candidate) => candidate.contender === name);
            if (!row) return [name, 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a'];
            const versusPeer = row === peer ? '1.00× (itself)' : spreadText(row.versus?.[peer?.contender]);
            return [
              name,
              duration(row.medianMs),
              `${duration(row.q1Ms)}–${duration(row.q3Ms)}`,
              duration(row.p99Ms),
              count(row.samples),
              name === CONTENDERS[0] ? '1.00× (baseline)' : spreadText(row.spread),
              versusPeer,
            ];
          }),
        ),
      );
    }
  }
  if (perCall.frameworkFloors?.length) {
    lines.push(
      '',
      "What the frameworks' own tool machinery costs per call with no MCP at all (in-process, no-op tools; part of every LangChain or AI SDK tool call whichever library made the tool):",
      '',
      table(
        ['no-op tool', 'median', 'IQR', 'p99', 'samples'],
        perCall.frameworkFloors.map((floor) => [
          floor.name,
          duration(floor.medianMs),
          floor.q1Ms === undefined ? 'n/a' : `${duration(floor.q1Ms)}–${duration(floor.q3Ms)}`,
          duration(floor.p99Ms),
          count(floor.samples),
        ]),
      ),
    );
  }
  return lines.join('\n');
}

function startUpSection(startUp) {
  if (!startUp) return undefined;
  const counts = [...new Set(startUp.rows.map((row) => row.servers))];
  const names = [...new Set(startUp.rows.map((row) => row.contender))];
  const eagerNames = names.filter((name) => !LAZY_ROWS[name]);
  const lazyNames = names.filter((name) => LAZY_ROWS[name]);
  const cell = (name, servers) =>
    startUp.rows.find((row) => row.contender === name && row.servers === servers);
  const lines = [
    '## 2. Start-up',
    '',
    'From nothing to framework tools in hand for N stdio servers (`@modelcontextprotocol/server-memory`, 9 tools each). Every row below starts all N servers: "toolwire eager, cold cache" starts with an empty file cache (and writes it) and includes `toLangChainTools(registry)`. `@ai-sdk/mcp` has no multi-server client: its row connects the servers in parallel by hand, as the raw SDK row (the floor) does. Every row closes its servers (untimed), and the next row starts only when they have all exited. Ratios to the floor are medians of per-iteration pairs with their 95% interval (the range of the pairs below 6 samples).',
  ];
  for (const servers of counts) {
    lines.push(
      '',
      `${servers} server${servers === 1 ? '' : 's'}:`,
      '',
      table(
        ['how', 'median', 'IQR', 'p99', 'samples', '× floor (spread)'],
        eagerNames.map((name) => {
          const row = cell(name, servers);
          if (!row) return [name, 'n/a', 'n/a', 'n/a', 'n/a', 'n/a'];
          return [
            name,
            duration(row.medianMs),
            row.q1Ms === undefined ? 'n/a' : `${duration(row.q1Ms)}–${duration(row.q3Ms)}`,
            duration(row.p99Ms),
            count(row.samples),
            row.spread ? spreadText(row.spread) : '1.00× (floor)',
          ];
        }),
      ),
    );
  }
  for (const failure of startUp.failures ?? []) {
    lines.push('', `**${failure.servers} servers failed in this run**: ${failure.message}`);
  }
  if (lazyNames.length > 0) {
    lines.push(
      '',
      '### Lazy, cached, no server contacted',
      '',
      'A lazy registry with a warm cache does not do the work above, so it is not compared with it: these rows say what a later start costs when the catalogue is already known.',
      '',
      table(
        ['how', 'servers', 'median', 'IQR', 'p99', 'samples', 'what it skips'],
        counts.flatMap((servers) =>
          lazyNames.map((name) => {
            const row = cell(name, servers);
            return [
              name,
              String(servers),
              duration(row?.medianMs),
              row?.q1Ms === undefined ? 'n/a' : `${duration(row.q1Ms)}–${duration(row.q3Ms)}`,
              duration(row?.p99Ms),
              count(row?.samples),
              LAZY_ROWS[name],
            ];
          }),
        ),
        ['left', 'right', 'right', 'right', 'right', 'right', 'left'],
      ),
    );
  }
  return lines.join('\n');
}

function publisherSection(publisher, fleet) {
  const lines = ['## 3. Publisher'];
  if (!publisher?.rows?.length) {
    lines.push('', '**Pending**: the publisher rows were not measured in this run.');
    return lines.join('\n');
  }
  const find = (name) => publisher.rows.find((row) => row.server === name);
  const fastmcp = find('FastMCP');
  const fastmcpStateless = find('FastMCP, stateless');
  const ours = find('@toolwire/publisher');
  const oursStateless = find('@toolwire/publisher, stateless');
  const pollCost =
    fastmcp && fastmcpStateless ? fastmcp.sessionMedianMs - fastmcpStateless.sessionMedianMs : Number.NaN;
  const sessionLine = (left, right) =>
    left && right
      ? `${left.server} ${duration(left.sessionMedianMs)}, ${right.server} ${duration(right.sessionMedianMs)} (${times(right.sessionMedianMs / left.sessionMedianMs)} the time of ${left.server})`
      : 'n/a';
  lines.push(
    '',
    `The same \`add\` tool served over Streamable HTTP on 127.0.0.1 by \`@toolwire/publisher\` with its defaults (Host/Origin checks, limits), by the raw SDK v2 server as its documentation shows it (\`McpServer\` + \`NodeStreamableHTTPServerTransport\`, one per session; stateless: one per request) and by FastMCP (\`httpStream\`), each stateful (sessions) and stateless (\`http.stateless\`, \`sessionIdGenerator: undefined\`, \`httpStream.stateless\`), each in its own process (\`bench/src/servers/publisher-server.mjs\`), driven by the raw SDK v2 client (2025 era, which all of them serve). Calls per second: ${publisher.callsPerIteration} calls on one session, ${publisher.inFlight} in flight. New session: connect (initialize + initialized) and the first \`tools/list\`. Memory: the server's live heap after GC, without machine code (V8 compiles a varying amount per batch), before and after opening ${publisher.sessionsPerBatch} sessions that then stay idle with the client's GET stream open, per session; each batch starts once the previous batch's idle connections are closed (both servers keep them 5 s) and is read once every GET stream was answered; the first batch is thrown away (a stateless server keeps nothing per session, so its figure is noise around zero and has no ratio). Ratios compare like with like, stateful rows with the raw SDK v2 server and stateless rows with the raw SDK v2 server stateless: medians of per-iteration pairs with their 95% interval (the range of the pairs below 6 samples).`,
    '',
    table(
      [
        'server',
        'calls/s: median',
        'IQR',
        '× raw, same mode',
        'new session: median',
        'p99',
        '× raw, same mode',
        'heap per idle session',
        '× raw',
      ],
      publisher.rows.map((row) => [
        row.server,
        count(row.callsPerSecond),
        row.callsPerSecondQ1 === undefined
          ? 'n/a'
          : `${count(row.callsPerSecondQ1)}–${count(row.callsPerSecondQ3)}`,
        row.callsPerSecondSpread
          ? spreadText(row.callsPerSecondSpread)
          : `${times(row.callsPerSecondRatio)} (baseline)`,
        duration(row.sessionMedianMs),
        duration(row.sessionP99Ms),
        row.sessionSpread ? spreadText(row.sessionSpread) : `${times(row.sessionRatio)} (baseline)`,
        `${row.heapPerSessionKB.toFixed(1)} KB`,
        row.heapSpread
          ? spreadText(row.heapSpread)
          : Number.isFinite(row.heapRatio)
            ? `${times(row.heapRatio)} (baseline)`
            : 'n/a',
      ]),
    ),
    '',
    `Samples per row: ${publisher.rows[0].samples.throughput} throughput rounds, ${publisher.rows[0].samples.sessions} new sessions, ${publisher.rows[0].samples.memory} memory batches.`,
    '',
    `New sessions, like with like: stateful, ${sessionLine(ours, fastmcp)}; stateless, ${sessionLine(oursStateless, fastmcpStateless)}. FastMCP's stateful figure is mostly a fixed wait, not work: after a session connects, FastMCP (4.20.16, \`FastMCPSession.connect\`) polls for the client's capabilities up to 10 times, 100 ms apart, before the session is ready, and logs "could not infer client capabilities after 10 attempts" when they are still missing, as they are here (it polls before the client's \`initialize\` has arrived). In this run that poll costs about ${duration(pollCost)} a session (FastMCP stateful minus FastMCP stateless); its stateless mode does not poll, so the stateless comparison is the one that measures work.`,
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
      ['fleet', 'calls/s (median)', 'IQR', 'samples', '× 1 instance (spread)'],
      fleet.rows.map((row) => [
        row.fleet,
        count(row.callsPerSecond),
        row.callsPerSecondQ1 === undefined
          ? 'n/a'
          : `${count(row.callsPerSecondQ1)}–${count(row.callsPerSecondQ3)}`,
        count(row.samples),
        row.callsPerSecondSpread ? spreadText(row.callsPerSecondSpread) : times(row.callsPerSecondRatio),
      ]),
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
      ['measure', ...names.flatMap((name) => [`${name}: median`, 'IQR', 'p99']), 'samples', '× baseline'],
      measures.map((measure) => {
        const rows = names.map((name) =>
          schema.rows.find((row) => row.measure === measure && row.contender === name),
        );
        return [
          measure,
          ...rows.flatMap((row) => [
            duration(row.medianMs),
            row.q1Ms === undefined ? 'n/a' : `${duration(row.q1Ms)}–${duration(row.q3Ms)}`,
            duration(row.p99Ms),
          ]),
          count(rows.at(-1).samples),
          rows.at(-1).spread ? spreadText(rows.at(-1).spread) : times(rows.at(-1).ratio),
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
      ['process holds', 'tools', 'RSS', 'IQR', 'added RSS (spread)', 'heap used', 'added heap'],
      memory.rows.map((row) => [
        row.side === 'empty'
          ? 'an empty registry'
          : row.side === 'catalogue'
            ? 'the catalogue'
            : `the catalogue + ${row.side.split('+')[1] === 'langchain' ? 'toLangChainTools()' : 'toAISDKTools()'} of all tools`,
        count(row.tools),
        megabytes(row.rssMB),
        row.rssQ1MB === undefined ? 'n/a' : `${megabytes(row.rssQ1MB)}–${megabytes(row.rssQ3MB)}`,
        row.addedRssSpread
          ? `${megabytes(row.addedRssSpread.median)} (${intervalText(row.addedRssSpread).replace(/(\d+\.\d+)/g, '$1 MB')})`
          : megabytes(row.addedRssMB),
        megabytes(row.heapUsedMB),
        megabytes(row.addedHeapMB),
      ]),
    ),
  ].join('\n');
}

function gatewaySection(gateway) {
  if (!gateway) return undefined;
  const hop = gateway.rows.find((row) => row.path === 'hop');
  const through = gateway.rows.filter((row) => row.path === 'gateway');
  const working = through.filter((row) => row.workMs > 0);
  return [
    '## 6. Gateway overhead',
    '',
    `One \`echo\` call on the minimal server, made by the ${gateway.client} sequentially: straight to the server, and through \`@toolwire/gateway\` with its defaults (its Streamable HTTP endpoint on 127.0.0.1, in a process of its own: \`bench/src/servers/gateway-server.mjs\`; per-principal upstream sessions, so each downstream session has its own upstream session), with the upstream reached over stdio (the gateway spawns the server) and over Streamable HTTP (the gateway calls its own copy of the server); the same over stdio to the reference \`server-everything\`'s \`echo\`, a real SDK server, an upstream that does the work any SDK server does per call; and the minimal-server rows again with an upstream that does work per call${working.length > 0 ? ` (it answers each call after a ${working[0].workMs} ms timer, as a server waiting for an API would, spending no CPU on it)` : ''}. The "hops" column names each hop's transport. The rows interleave; each gateway row's ratio and added time are the medians of its per-iteration pairs with the direct row of the same upstream and work, with the 95% interval.`,
    '',
    `What the rows without work show: the gateway's cost laid bare, and why a gateway call cannot cost about 1× the direct call there: it is two hops where the direct call is one, and the upstream does no work, so the whole of the extra hop shows. ${hop ? `The last row measures that hop alone: \`@toolwire/publisher\` (the gateway's own server, with the same defaults) serving the same echo itself over Streamable HTTP (\`bench/src/servers/echo-publisher-server.mjs\`), what any HTTP MCP server in front of the client costs. ` : ''}The gateway's own work per call is the rest: gateway − direct − hop, per iteration; the floor column is the ratio a gateway doing no work of its own would reach, (direct + hop) / direct, paired. Their target lines (≤ 1.30×, "doing no work") stay out of reach by that floor.`,
    '',
    `What the rows with work show: the ratio a deployment gets when its upstream tools do real work per call. The gateway adds about the same time per call there, now a fraction of the call; the ≤ 1.30× target is evaluated against these rows in target lines of their own ("doing … ms of work per call").`,
    '',
    table(
      [
        'call',
        'hops',
        'median',
        'IQR',
        'p99',
        'samples',
        'added per call (95% CI)',
        '× direct (95% CI)',
        'floor: no own work (95% CI)',
      ],
      gateway.rows.map((row) => [
        row.name,
        row.hops ?? '',
        duration(row.medianMs),
        `${duration(row.q1Ms)}–${duration(row.q3Ms)}`,
        duration(row.p99Ms),
        count(row.samples),
        row.addedSpread ? microseconds(row.addedSpread) : '—',
        row.spread ? spreadText(row.spread) : row.path === 'direct' ? '1.00× (direct)' : '—',
        row.floorSpread ? spreadText(row.floorSpread) : '—',
      ]),
    ),
    ...(hop && through.some((row) => row.ownWorkSpread)
      ? [
          '',
          `The gateway's own work per call (gateway − direct − the hop alone, paired): ${through
            .filter((row) => row.ownWorkSpread)
            .map((row) => `${upstreamLabel(row)} ${microseconds(row.ownWorkSpread)}`)
            .join('; ')}.`,
        ]
      : []),
  ].join('\n');
}

/** A gateway row's upstream (and its work per call), as the page names it. */
function upstreamLabel({ upstream, workMs }) {
  const transport =
    upstream === 'http'
      ? 'Streamable HTTP'
      : upstream === 'everything'
        ? 'server-everything (stdio)'
        : 'stdio';
  return workMs > 0 ? `${transport} upstream with ${workMs} ms of work per call` : `${transport} upstream`;
}

/** A paired time difference in µs with its interval: `+812 µs (95% CI 790–840 µs, n=2000)`. */
function microseconds(spread) {
  if (!spread || !Number.isFinite(spread.median)) return 'n/a';
  const us = (ms) => `${Math.round(ms * 1000)}`;
  const kind = spread.level === '95%' ? '95% CI' : 'range';
  return `${spread.median >= 0 ? '+' : ''}${us(spread.median)} µs (${kind} ${us(spread.low)}–${us(spread.high)} µs, n=${spread.count})`;
}

function cpuProfileSection(cpuProfile) {
  if (!cpuProfile?.profiles?.length) return undefined;
  const lines = [
    '## 7. CPU profile summary',
    '',
    "Where the time goes: two runs, each in a process of its own under `node --cpu-prof` (`bench/src/benchmarks/cpu-profile.mjs`), summarized as the functions with the most **self time** (time running their own code, not their callees'), as a share of the process's busy time (idle left out, and so is the process's start-up: whatever ran under Node's module loader, loading, compiling and evaluating modules, is counted apart). `(garbage collector)`, `(program)` and native functions are V8's own entries. Profiling slows code down, so these are shares, not speeds.",
  ];
  for (const profile of cpuProfile.profiles) {
    lines.push(
      '',
      `### ${profile.name}`,
      '',
      `${profile.work}; ${duration(profile.busyMs)} busy${Number.isFinite(profile.loadingMs) ? `, besides ${duration(profile.loadingMs)} of module loading (left out)` : ''}.`,
      '',
      table(
        ['function', 'file', '% self'],
        profile.frames.map((frame) => [
          `\`${frame.functionName}\``,
          `\`${frame.file}${frame.line ? `:${frame.line}` : ''}\``,
          `${frame.percent.toFixed(1)}%`,
        ]),
        ['left', 'left', 'right'],
      ),
    );
  }
  return lines.join('\n');
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
      title: 'Per call, sequential, stdio, minimal server: median (lower is better)',
      bars: CONTENDERS.map((name) => {
        const row = perCall.rows.find(
          (candidate) =>
            (candidate.server ?? 'minimal') === 'minimal' &&
            candidate.transport === 'stdio' &&
            candidate.concurrency === 1 &&
            candidate.contender === name,
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
    const eight = startUp.rows.filter((row) => row.servers === 8 && !LAZY_ROWS[row.contender]);
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
