// The alert states as an async iterator for the `alertsChanged` subscription: the current states
// at once, then after each evaluation that changed a status (or after every evaluation when
// `everyEvaluation`). A slow reader never queues: it gets the newest states when it asks again.
import { pushStream } from '../streaming/realtime/push-stream.ts';
import type { AlertEvaluator, AlertState } from './evaluator.ts';

export function alertStream(evaluator: AlertEvaluator, everyEvaluation: boolean): AsyncIterableIterator<AlertState[]> {
  let unsubscribe = () => {};
  const stream = pushStream<AlertState[]>({ keep: 1, onClose: () => unsubscribe() });
  stream.push(evaluator.current());
  unsubscribe = evaluator.subscribe((states, changed) => {
    if (changed || everyEvaluation) stream.push(states);
  });
  return stream;
}
