/**
 * Per-destination retransmission timeout, as TCP computes it (RFC 6298) and nmap uses it for probes
 * (timing.cc): a smoothed RTT and its variance, timeout = srtt + 4·rttvar, clamped to [floor, ceiling].
 * Before the first sample the timeout is the ceiling (`--timeout`): we know nothing yet, so we wait the longest
 * the user allows. Pure arithmetic: no clocks, no sockets.
 *
 * A confirmation attempt (a retry after a silence) has a lower floor than a first attempt. The first wait's
 * floor absorbs scheduling jitter on our side and a slow answer on theirs; by the time a retry is sent, that
 * wait is over, the first socket still listens (a late answer to it still counts, see engine.ts), and the verdict
 * is taken only after pending I/O is read. What is left to wait for is one round trip of a packet that may have
 * been lost: the learned srtt + 4·rttvar, with a small floor of its own.
 */
export interface TimingOptions {
  /** The user's --timeout: no attempt ever waits longer. */
  readonly ceilingMs: number;
  /** The shortest wait, however fast the answers: scheduling jitter and a busy host must not look like a drop. */
  readonly floorMs: number;
  /** The shortest wait of a confirmation attempt (a retry), see above. */
  readonly retryFloorMs: number;
  /** False with --fixed-timeout: every attempt waits the ceiling. */
  readonly adaptive: boolean;
}

/** nmap's MIN_RTT_TIMEOUT (nmap.h): below this, host and kernel scheduling noise dominate the round trip. */
export const defaultFloorMs = 100;
/** A retry's floor: twenty times a LAN round trip, and the first attempt's socket keeps listening meanwhile. */
export const defaultRetryFloorMs = 20;

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

  /** How long an attempt to this destination waits for an answer now; `retry` for a confirmation attempt. */
  timeoutMs(retry = false): number {
    const { ceilingMs, adaptive } = this.options;
    if (!adaptive || this.srtt === undefined) return ceilingMs;
    const floor = retry ? this.options.retryFloorMs : this.options.floorMs;
    const rto = this.srtt + Math.max(granularityMs, k * this.rttvar);
    return Math.min(ceilingMs, Math.max(Math.min(floor, ceilingMs), rto));
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
