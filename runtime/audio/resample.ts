/**
 * A streaming band-limited resampler (Hann-windowed sinc, 16 zero crossings each side). Audio is
 * normalised once at the edge: whatever rate a file or satellite sends, the stages see 16 kHz. The
 * filter's cut-off follows the lower of the two rates, so 44.1/48 kHz input does not alias into speech.
 * Streaming keeps a short history between chunks: the output does not depend on chunk sizes.
 */
const ZERO_CROSSINGS = 16;

export class Resampler {
  private readonly ratio: number;
  private readonly cutoff: number;
  private readonly halfWidth: number;
  private buffer = new Float32Array(0);
  /** Absolute input index of buffer[0]. */
  private bufferStart = 0;
  private inputCount = 0;
  private outputCount = 0;

  constructor(readonly fromHz: number, readonly toHz: number) {
    this.ratio = toHz / fromHz;
    this.cutoff = Math.min(1, this.ratio);
    this.halfWidth = Math.ceil(ZERO_CROSSINGS / this.cutoff);
  }

  /** Resampled output that the input so far fully determines. */
  push(input: Float32Array): Float32Array {
    if (this.fromHz === this.toHz) return input.slice();
    this.append(input);
    return this.produce(this.inputCount - this.halfWidth);
  }

  /** The rest of the output, treating the input after the end as silence. */
  flush(): Float32Array {
    if (this.fromHz === this.toHz) return new Float32Array(0);
    return this.produce(this.inputCount);
  }

  private append(input: Float32Array): void {
    // Keep only what the next outputs can still reach.
    const nextCentre = Math.floor(this.outputCount / this.ratio);
    const keepFrom = Math.max(this.bufferStart, nextCentre - this.halfWidth - 1);
    const kept = this.buffer.subarray(keepFrom - this.bufferStart);
    const joined = new Float32Array(kept.length + input.length);
    joined.set(kept);
    joined.set(input, kept.length);
    this.buffer = joined;
    this.bufferStart = keepFrom;
    this.inputCount += input.length;
  }

  /** Outputs whose centre lies before `limit` (an absolute input position). */
  private produce(limit: number): Float32Array {
    const out: number[] = [];
    for (;;) {
      const t = this.outputCount / this.ratio;
      if (t >= limit || t >= this.inputCount) break;
      out.push(this.sampleAt(t));
      this.outputCount++;
    }
    return Float32Array.from(out);
  }

  private sampleAt(t: number): number {
    const centre = Math.floor(t);
    let acc = 0;
    for (let k = centre - this.halfWidth + 1; k <= centre + this.halfWidth; k++) {
      const idx = k - this.bufferStart;
      if (idx < 0 || idx >= this.buffer.length) continue;
      const x = t - k;
      acc += this.buffer[idx]! * this.kernel(x);
    }
    return acc;
  }

  private kernel(x: number): number {
    const w = Math.abs(x) / this.halfWidth;
    if (w >= 1) return 0;
    const window = 0.5 + 0.5 * Math.cos(Math.PI * w);
    const y = x * this.cutoff;
    const sinc = y === 0 ? 1 : Math.sin(Math.PI * y) / (Math.PI * y);
    return this.cutoff * sinc * window;
  }
}

/** [-1, 1] floats -> int16 with clipping. */
export function floatToInt16(x: Float32Array): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(x[i]! * 32768)));
  return out;
}
