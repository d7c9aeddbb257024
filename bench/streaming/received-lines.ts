/**
 * Prints "received N" every 250 ms while the count moves: what bench/run.ts waits on to know
 * that a subscriber process has everything it is due.
 */
export function printReceived(count: () => number): void {
  let reported = -1;
  setInterval(() => {
    const received = count();
    if (received === reported) return;
    reported = received;
    process.stdout.write(`received ${received}\n`);
  }, 250).unref();
}
