// The process side of run-isolated.mjs: imports the benchmark, runs it, sends the result back.
const [module, options] = process.argv.slice(2);
try {
  const { run } = await import(new URL(`../../src/benchmarks/${module}`, import.meta.url).href);
  const result = await run(JSON.parse(options));
  process.send({ ok: true, result }, () => process.exit(0));
} catch (error) {
  process.send({ ok: false, message: String(error?.message ?? error), stack: error?.stack }, () =>
    process.exit(1),
  );
}
