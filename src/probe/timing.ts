/**
 * Per-destination retransmission timeout, as TCP computes it (RFC 6298) and nmap uses it for probes
 * (timing.cc): a smoothed RTT and its variance, timeout = srtt + 4·rttvar, clamped to [floor, ceiling].
 * Before the first sample the timeout is the ceiling (`--timeout`): we know nothing yet, so we wait the longest
 * the user allows. Pure arithmetic: no clocks, no sockets.
 */
export interface TimingOptions {
  /** The user's --timeout: no attempt ever waits longer. */
  readonly ceilingMs: number;
  /** The shortest wait, however fast the answers: scheduling jitter and a busy host must not look like a drop. */
  readonly floorMs: number;
  /** False with --fixed-timeout: every attempt waits the ceiling. */
  readonly adaptive: boolean;
}

/** nmap's MIN_RTT_TIMEOUT (nmap.h): below this, host and kernel scheduling noise dominate the round trip. */
export const defaultFloorMs = 100;

const alpha = 1 / 8; // RFC 6298 §2.3
const beta = 1 / 4;
const k = 4;
/** Clock granularity G of RFC 6298: our clock is performance.now(), far finer than the floor. */
const granularityMs = 1;

export class RttEstimator {
  private srtt: number | undefined;
  private rttvar = 0;
  private count = 0;

  constructor(private readonly options: TimingOptions) {}

  /** Feeds one measured round trip (an answer: SYN-ACK, RST or an SSRP reply). */
  sample(rttMs: number): void {
    const r = Math.max(0, rttMs);
    if (this.srtt === undefined) {
      this.srtt = r;
      this.rttvar = r / 2;
    } else {
      this.rttvar = (1 - beta) * this.rttvar + beta * Math.abs(this.srtt - r);
      this.srtt = (1 - alpha) * this.srtt + alpha * r;
    }
    this.count++;
  }

  get samples(): number {
    return this.count;
  }

  get smoothedRttMs(): number | undefined {
    return this.srtt;
  }

  get variationMs(): number {
    return this.rttvar;
  }

  /** How long an attempt to this destination waits for an answer now. */
  timeoutMs(): number {
    const { ceilingMs, floorMs, adaptive } = this.options;
    if (!adaptive || this.srtt === undefined) return ceilingMs;
    const rto = this.srtt + Math.max(granularityMs, k * this.rttvar);
    return Math.min(ceilingMs, Math.max(Math.min(floorMs, ceilingMs), rto));
  }
}

/** One estimator per destination address, made on first use. */
export class TimingTable {
  private readonly byAddress = new Map<string, RttEstimator>();

  constructor(readonly options: TimingOptions) {}

  of(address: string): RttEstimator {
    let e = this.byAddress.get(address);
    if (!e) {
      e = new RttEstimator(this.options);
      this.byAddress.set(address, e);
    }
    return e;
  }
}
