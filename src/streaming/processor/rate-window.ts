/** Counts over the last `seconds` seconds, in one-second buckets (received/processed per minute). */
export class RateWindow {
  private readonly buckets: number[];
  private readonly stamps: number[];

  constructor(private readonly seconds = 60) {
    this.buckets = new Array<number>(seconds).fill(0);
    this.stamps = new Array<number>(seconds).fill(-1);
  }

  add(count: number, now = Date.now()): void {
    const second = Math.floor(now / 1000);
    const slot = second % this.seconds;
    if (this.stamps[slot] !== second) {
      this.stamps[slot] = second;
      this.buckets[slot] = 0;
    }
    this.buckets[slot]! += count;
  }

  total(now = Date.now()): number {
    const second = Math.floor(now / 1000);
    let sum = 0;
    for (let i = 0; i < this.seconds; i++) {
      if (second - this.stamps[i]! < this.seconds) sum += this.buckets[i]!;
    }
    return sum;
  }
}
