// The alert states as an async iterator for the `alertsChanged` subscription: the current states
// at once, then after each evaluation that changed a status (or after every evaluation when
// `everyEvaluation`). A slow reader never queues: it gets the newest states when it asks again.
import type { AlertEvaluator, AlertState } from './evaluator.ts';

export function alertStream(evaluator: AlertEvaluator, everyEvaluation: boolean): AsyncIterableIterator<AlertState[]> {
  let latest: AlertState[] | null = evaluator.current();
  let wake: (() => void) | null = null;
  let closed = false;
  const unsubscribe = evaluator.subscribe((states, changed) => {
    if (!changed && !everyEvaluation) return;
    latest = states;
    wake?.();
  });
  const close = () => {
    closed = true;
    unsubscribe();
    wake?.();
  };
  return {
    async next() {
      while (!closed && latest === null) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      if (closed) return { value: undefined, done: true };
      const value = latest!;
      latest = null;
      return { value, done: false };
    },
    async return() {
      close();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
