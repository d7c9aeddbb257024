// What one committed batch reports: written by batch.ts, announced by announce.ts. A file of its
// own so that the two do not import each other.
export interface BatchResult {
  batchId: number;
  firstPosition: number;
  lastPosition: number;
  events: number;
  countries: number[];
  users: number[];
  lagsMs: number[];
  /**
   * The batch and its events as the stream hub reads them, in JSON (parsed by the hub's
   * stream-events.ts); null when the batch had more events than `handOverRows` asked for.
   */
  stream: unknown;
}
