/**
 * The fault suite's simulated clock, shared by the test process (the HubSpot sandbox) and the relay
 * processes' HubSpot workers (support/relay-main.mjs). It is a function of the machine's real time,
 * so separate processes agree on it without talking: from `realStart` on it reads
 * `simStart + (real - realStart) * speed`. A scenario that speeds it up starts a new segment and
 * restarts the relays with it; it never goes backwards (a segment starts where the last one is).
 */
export interface ClockSegment {
  realStart: number;
  simStart: number;
  speed: number;
}

/** The shape of the relay's HubSpot clock (relay/src/hubspot/clock.ts). */
export interface SegmentClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export function clockOf(segment: ClockSegment, realNow: () => number = Date.now): SegmentClock {
  return {
    now: () => Math.floor(segment.simStart + (realNow() - segment.realStart) * segment.speed),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / segment.speed))),
  };
}

/** `realStart:simStart:speed`, as the relay processes get it in FAULTS_CLOCK (relay-main.mjs reads it). */
export function formatSegment(segment: ClockSegment): string {
  return `${segment.realStart}:${segment.simStart}:${segment.speed}`;
}

/** The test process's end of the clock: the current segment, and a way to change speed. */
export class FaultClock implements SegmentClock {
  segment: ClockSegment = { realStart: Date.now(), simStart: Date.now(), speed: 1 };

  now(): number {
    return clockOf(this.segment).now();
  }

  sleep(ms: number): Promise<void> {
    return clockOf(this.segment).sleep(ms);
  }

  /** From now on the clock runs `speed` times real time, carrying on from where it is. */
  setSpeed(speed: number): ClockSegment {
    const realStart = Date.now();
    const { segment } = this;
    const simStart = Math.floor(segment.simStart + (realStart - segment.realStart) * segment.speed);
    this.segment = { realStart, simStart, speed };
    return this.segment;
  }
}
