/**
 * Faults of a live scene on the host's clock: fire now or at a session time, remember which
 * bodies are broken (drawn highlighted), and report each as an event for the charts and the log.
 */
import type { Fault } from '../../physics/envs/types';

export class FaultTimeline {
  private pending: { at: number; fault: Fault }[] = [];
  private readonly broken = new Set<number>();

  constructor(
    private readonly apply: (f: Fault) => void,
    /** Bodies a fault breaks (a leg's, from the robot model). */
    private readonly bodiesOf: (f: Fault) => number[],
    private readonly note: (time: number, kind: string, label: string) => void,
  ) {}

  /** Fires the fault now, or schedules it when `at` lies ahead; returns a line for the log. */
  request(fault: Fault, at: number | undefined, now: number): string {
    if (at !== undefined && at > now + 1e-9) {
      this.pending.push({ at, fault });
      return `${describeFault(fault)} scheduled at t = ${at.toFixed(2)} s`;
    }
    this.fire(fault, now);
    return `${describeFault(fault)} at t = ${now.toFixed(2)} s`;
  }

  /** Call before each step: fires what is due. */
  fireDue(now: number): void {
    if (!this.pending.length) return;
    const due = this.pending.filter((p) => p.at <= now + 1e-9);
    this.pending = this.pending.filter((p) => p.at > now + 1e-9);
    for (const p of due) this.fire(p.fault, now);
  }

  private fire(fault: Fault, now: number): void {
    this.apply(fault);
    for (const b of this.bodiesOf(fault)) this.broken.add(b);
    this.note(now, 'fault', describeFault(fault));
  }

  /** A new episode: faults are gone (the env's reset clears them); scheduled ones stay if asked. */
  episodeStarted(keepScheduled: boolean): void {
    this.broken.clear();
    if (!keepScheduled) this.pending = [];
  }

  highlight(): number[] {
    return [...this.broken];
  }
}

export function describeFault(f: Fault): string {
  switch (f.kind) {
    case 'cripple':
      return `leg ${f.leg} broken`;
    case 'lockJoint':
      return `joint ${f.joint} locked`;
    case 'weakenMotor':
      return `motor ${f.joint} weakened to ${f.factor}`;
    case 'setParams':
      return Object.entries(f.params).map(([k, v]) => `${k} = ${v}`).join(', ');
  }
}
