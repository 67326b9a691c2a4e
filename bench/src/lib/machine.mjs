// The machine a run was measured on, for the report's header: numbers only mean something next
// to the machine (and the load on it) that produced them.
import { cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';

export function describeMachine() {
  const processors = cpus();
  return {
    cpu: processors[0]?.model?.trim() || 'unknown',
    cores: processors.length,
    memoryGiB: totalmem() / 2 ** 30,
    freeMemoryGiB: freemem() / 2 ** 30,
    node: process.version,
    os: `${platform()} ${release()}`,
    loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
    date: new Date().toISOString(),
  };
}
