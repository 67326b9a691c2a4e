// The targets, checked against one run's results (ratios within that run only), and what
// the report says when one is missed. The explanations are the causes found by profiling; each
// quotes the numbers of the run it appears in.
import { CONTENDERS } from './contenders.mjs';
import { count, duration, megabytes, times } from './format.mjs';

const RAW_V2 = CONTENDERS[0];

/** Each target: `{ id, text, measured, met, why }`; `met` is undefined when not measured. */
export function checkTargets(results) {
  const targets = [];
  const perCall = results['per-call'];
  if (perCall) {
    const sequentialStdio = perCall.rows.filter((row) => row.transport === 'stdio' && row.concurrency === 1);
    const find = (name) => sequentialStdio.find((row) => row.contender === name);
    const raw = find(RAW_V2);
    const registry = find('toolwire registry.callTool');
    const floor = (name) => perCall.frameworkFloors?.find((entry) => entry.name.startsWith(name));
    for (const name of ['toolwire registry.callTool', 'toolwire LangChain tool', 'toolwire AI SDK tool']) {
      const row = find(name);
      if (!row || !raw) continue;
      const met = row.ratio <= 1.1;
      let why;
      if (!met) {
        const added = duration(row.medianMs - raw.medianMs);
        if (name === 'toolwire registry.callTool') {
          why = `the registry adds ${added} a call: argument validation against the tool's own schema, the pool lease, timeout and stats bookkeeping, result normalization. The raw SDK v2 client itself is ${times(find('raw SDK v1 client')?.medianMs / raw.medianMs)} the v1 client's time here, and toolwire pays that SDK cost too.`;
        } else if (name === 'toolwire LangChain tool') {
          const langChainFloor = floor('LangChain');
          why = `on top of the registry call (${times(registry?.ratio)}), LangChain's own per-invoke machinery (run config, callback manager, ToolMessage) costs ${duration(row.medianMs - (registry?.medianMs ?? Number.NaN))} here; a LangChain tool that does nothing, made with \`tool()\` and invoked the same way, costs ${duration(langChainFloor?.medianMs)} by itself in this run. @langchain/mcp-adapters pays the same machinery (${times(find('@langchain/mcp-adapters tool')?.ratio)}).`;
        } else {
          why = `on top of the registry call (${times(registry?.ratio)}), the AI SDK tool validates the input once (the AI SDK's own step) and maps the result; it adds ${duration(row.medianMs - (registry?.medianMs ?? Number.NaN))} over registry.callTool.`;
        }
      }
      targets.push({
        id: `per-call:${name}`,
        text: `${name} adds at most 10% over the raw SDK v2 client (median, sequential, stdio)`,
        measured: `${times(row.ratio)} (${duration(row.medianMs)} vs ${duration(raw.medianMs)})`,
        met,
        why,
      });
    }
  }

  const startUp = results['start-up'];
  if (startUp) {
    for (const servers of [...new Set(startUp.rows.map((row) => row.servers))]) {
      const rows = startUp.rows.filter((row) => row.servers === servers);
      const eager = rows.find((row) => row.contender === 'toolwire eager, cold cache');
      const floor = rows[0];
      if (!eager) continue;
      const met = eager.ratio <= 1.2;
      targets.push({
        id: `start-up:eager:${servers}`,
        text: `eager cold start of ${servers} server${servers === 1 ? '' : 's'} within 1.2× of the raw SDK in parallel`,
        measured: `${times(eager.ratio)} (${duration(eager.medianMs)} vs ${duration(floor.medianMs)})`,
        met,
        why: met
          ? undefined
          : "the registry's own work in an eager start is small: it also writes the schema cache and builds the catalogue, and the parent process's CPU time for 8 servers measured 37–52 ms against 28–32 ms for the raw SDK clients. The wall time is the servers' own start on two shared cores, so this ratio moves a lot from run to run (see Variation between runs).",
      });
    }
    const eight = startUp.rows.filter((row) => row.servers === 8);
    const lazy = eight.find((row) => row.contender === 'toolwire lazy, warm cache');
    const adapters = eight.find((row) => row.contender === '@langchain/mcp-adapters MultiServerMCPClient');
    if (lazy && adapters) {
      const speedUp = adapters.medianMs / lazy.medianMs;
      targets.push({
        id: 'start-up:lazy-vs-adapters',
        text: 'lazy start with a warm cache at least 50× faster than @langchain/mcp-adapters (8 servers)',
        measured: `${speedUp.toFixed(0)}× (${duration(lazy.medianMs)} vs ${duration(adapters.medianMs)})`,
        met: speedUp >= 50,
        why:
          speedUp >= 50
            ? undefined
            : 'the lazy start reads one cache file per server and builds the catalogue; see the start-up table.',
      });
    }
  }

  const publisher = results.publisher;
  if (publisher?.rows?.length) {
    const find = (name) => publisher.rows.find((row) => row.server === name);
    const ours = find('@toolwire/publisher');
    const raw = find('raw SDK v2 server');
    const fastmcp = find('FastMCP');
    const throughputMet = ours.callsPerSecondRatio >= 1;
    targets.push({
      id: 'publisher:throughput',
      text: 'publisher throughput at least equal to the raw SDK v2 server',
      measured: `${times(ours.callsPerSecondRatio)} (${count(ours.callsPerSecond)} vs ${count(raw.callsPerSecond)} calls/s)`,
      met: throughputMet,
      why: throughputMet
        ? undefined
        : "on a quiet machine the two were level (1.01× in one full run); under load from other processes the publisher fell behind in every run (0.73–0.94×), so the gap moves with the load (see Variation between runs). Its cause was not profiled in this work. What differs by design (read from the code, not measured apart): every publisher request goes through its fetch handler (a Node request turned into a Web `Request` and the `Response` back, via `toNodeHandler`), its Host/Origin checks and its own argument validation, where the raw server hands the Node request to the SDK's Node transport.",
    });
    const sessionSpeedUp = fastmcp.sessionMedianMs / ours.sessionMedianMs;
    targets.push({
      id: 'publisher:new-session',
      text: 'publisher new-session latency at least 20× lower than FastMCP',
      measured: `${sessionSpeedUp.toFixed(0)}× (${duration(ours.sessionMedianMs)} vs ${duration(fastmcp.sessionMedianMs)})`,
      met: sessionSpeedUp >= 20,
      why:
        sessionSpeedUp >= 20
          ? undefined
          : "FastMCP's new sessions are slow because it polls for the client's capabilities after connecting; ours are bounded by the SDK v2 server's handshake.",
    });
    const memoryMet = ours.heapPerSessionKB <= raw.heapPerSessionKB;
    targets.push({
      id: 'publisher:memory',
      text: "publisher memory per idle session no more than the raw SDK v2 server's",
      measured: `${ours.heapPerSessionKB.toFixed(1)} KB vs ${raw.heapPerSessionKB.toFixed(1)} KB of heap`,
      met: memoryMet,
      why: memoryMet
        ? undefined
        : `${(ours.heapPerSessionKB - raw.heapPerSessionKB).toFixed(1)} KB more per idle session. Like the raw server, a publisher session holds one SDK v2 server and transport (the Web-standard transport behind a Node adapter, where the raw server uses the Node transport); it also keeps a record in its session store (the client's initialize parameters and times), which is what lets another instance rebuild the session. That record is by design and is not changed here; where the rest comes from was read from the code, not measured apart.`,
    });
  } else {
    const why = '@toolwire/publisher could not be measured in this run (see section 3).';
    for (const text of [
      'publisher throughput at least equal to the raw SDK v2 server',
      'publisher new-session latency at least 20× lower than FastMCP',
      "publisher memory per idle session no more than the raw SDK v2 server's",
    ]) {
      targets.push({ id: `publisher:${text}`, text, measured: 'pending', met: undefined, why });
    }
  }

  const memory = results.memory;
  if (memory) {
    const catalogue = memory.rows.find((row) => row.side === 'catalogue');
    const met = catalogue.addedRssMB <= 25;
    targets.push({
      id: 'memory:catalogue',
      text: `a catalogue of ${memory.servers} servers × ${memory.toolsPerServer} tools adds at most 25 MB RSS over an empty registry`,
      measured: `${megabytes(catalogue.addedRssMB)} RSS (${megabytes(catalogue.addedHeapMB)} of live heap)`,
      met,
      why: met
        ? undefined
        : `the live catalogue is ${megabytes(catalogue.addedHeapMB)} of heap; the rest of the RSS is heap V8 grew while loading (each cache file is read and parsed at once, all servers in parallel) and keeps committed after GC.`,
    });
  }
  return targets;
}
