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
}
