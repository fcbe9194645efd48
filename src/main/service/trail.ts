/** Seconds of a tracked body's trail drawn. */
export const TRAIL_SECONDS = 4;

/** The last seconds of a tracked point's positions (xyz triples): a tracking scene's trail overlay. */
export class Trail {
  private points: number[] = [];
  /** Keeps `seconds` of points at one point per `dt`. */
  constructor(private readonly seconds: number, private readonly dt: number) {}

  /** Starts over from one point (a new episode). */
  restart(p?: ArrayLike<number>): void {
    this.points = p ? Array.from(p) : [];
  }

  push(p: ArrayLike<number>): void {
    this.points.push(p[0], p[1], p[2]);
    const keep = 3 * Math.round(this.seconds / this.dt);
    if (this.points.length > keep) this.points.splice(0, this.points.length - keep);
  }

  get xyz(): number[] {
    return this.points;
  }
}
