/**
 * Means over the last n samples, per key: the per-step prediction errors of the adaptation
 * scene jump by 10x from one transition to the next; a one-second mean of both models over the
 * same transitions is what a person can compare on a chart.
 */
export class WindowMeans {
  private readonly rings = new Map<string, { buf: Float64Array; next: number; count: number; sum: number }>();

  constructor(private readonly n: number) {}

  /** Adds a sample under `key` and returns the mean of that key's last n samples. */
  push(key: string, v: number): number {
    let r = this.rings.get(key);
    if (!r) this.rings.set(key, (r = { buf: new Float64Array(this.n), next: 0, count: 0, sum: 0 }));
    if (r.count === this.n) r.sum -= r.buf[r.next];
    else r.count++;
    r.buf[r.next] = v;
    r.sum += v;
    r.next = (r.next + 1) % this.n;
    return r.sum / r.count;
  }

  clear(): void {
    this.rings.clear();
  }
}
