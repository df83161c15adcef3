/**
 * How `npm run loadtest` and `npm run soak` run: `main` within a time bound, `cleanup`
 * always (sessions ended, server stopped), a failure or the bound giving exit code 1.
 */
export async function runBounded(opts: {
  deadlineS: number;
  main: () => Promise<void>;
  cleanup: () => Promise<void>;
  log: (line: string) => void;
}): Promise<void> {
  const deadline = setTimeout(() => {
    opts.log(`deadline of ${opts.deadlineS} s reached: giving up`);
    process.exitCode = 1;
    void opts
      .cleanup()
      .catch(() => {})
      .finally(() => process.exit(1));
  }, opts.deadlineS * 1000);
  try {
    await opts.main();
  } catch (err) {
    opts.log(`FAILED: ${(err as Error).stack ?? err}`);
    process.exitCode = 1;
  } finally {
    await opts.cleanup().catch(() => {});
    clearTimeout(deadline);
  }
}
