/** Resolves on the first SIGINT or SIGTERM (then stops listening for both): how long-running commands end. */
export function untilSignal(): Promise<void> {
  return new Promise((done) => {
    const finish = () => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      done();
    };
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
  });
}
