// Note ids seen in one import, to report a note that appears twice in a file (its comments are
// merged by sequence number; the summary says so). A bit per id below 2^27 (16 MiB at most, a
// few hundred kB for today's planet), a Set for any id above.
const BITSET_IDS = 1 << 27;

export class SeenNotes {
  private bits = new Uint8Array(1 << 16);
  private readonly large = new Set<number>();

  /** Marks the id; true when it was seen before. */
  see(id: number): boolean {
    if (id >= BITSET_IDS) {
      if (this.large.has(id)) return true;
      this.large.add(id);
      return false;
    }
    const byte = id >>> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.min(BITSET_IDS >>> 3, Math.max(byte + 1, this.bits.length * 2)));
      grown.set(this.bits);
      this.bits = grown;
    }
    const mask = 1 << (id & 7);
    const seen = (this.bits[byte]! & mask) !== 0;
    this.bits[byte]! |= mask;
    return seen;
  }
}
