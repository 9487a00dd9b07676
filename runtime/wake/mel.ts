/**
 * openWakeWord's log-mel front end, computed in TypeScript with an FFT instead of by its ONNX model.
 *
 * Why: the shipped melspectrogram.onnx takes its DFT as a convolution with 2 x 257 kernels of 512 taps (2.1 M
 * multiply-adds per 80 ms frame, and an ONNX Runtime call); a 256-point complex FFT of the packed real frame gives the
 * same power spectrum with about 2% of the arithmetic (some 50 k operations a window against 2.1 M multiply-adds) and no
 * call. ONNX Runtime's own STFT operator was tried first: no faster than the convolution (0.14-0.15 ms a call either
 * way, AMD EPYC with AVX-512).
 *
 * What the model computes, read off its graph and weights (/usr/bin/python3 tools/train/wake/mel_check.py checks each):
 * - frames of 512 samples every 160, no padding (1760 samples -> 8 frames), int16 values as float32;
 * - a periodic Hann window of 400 samples centred in the 512 (56 zeros each side);
 * - power |X(k)|^2 for k = 0..256, times a 257 x 32 filterbank: librosa's Slaney mel filters (sr 16 kHz, n_fft 512,
 *   32 bands, fmin 60 Hz, fmax 3800 Hz, Slaney area normalisation; equal to the model's weights within 1e-9);
 * - 10 log10(max(e, 1e-10)), then clipped from below at the call's loudest value minus 80 dB (over all 8 frames).
 * Hearth then applies openWakeWord's x / 10 + 2. Arithmetic here is float64, the model's float32: rows agree within
 * 1e-4 on the fixture clips (worst 9.4e-5, on onnxruntime-web; test/wake/mel.test.ts), and wake scores within 1e-3.
 */
import { FRAME_SAMPLES } from '../types/audio.js';
import type { ModelSession } from '../models/onnx.js';

export const MEL_BINS = 32;

/** A log-mel filterbank: Slaney mel bands of the 512-point FFT between two frequencies. */
export interface MelBands {
  readonly bins: number;
  readonly fminHz: number;
  readonly fmaxHz: number;
}
/** openWakeWord's bands, which its embedding model reads. */
export const WAKE_MEL: MelBands = { bins: MEL_BINS, fminHz: 60, fmaxHz: 3800 };
/**
 * Full-band rows for second-stage verifiers that ask for them (manifest `features: "mel40-8k"`): the same frames,
 * window and scaling up to 8 kHz. openWakeWord's bands stop at 3800 Hz, where /t/ and /k/ bursts and /s/ have only
 * begun ("hey rusty" against "hey rhasspy" differs there in a /t/ for a /p/), so a verifier on them cannot hear it.
 */
export const WIDE_MEL: MelBands = { bins: 40, fminHz: 60, fmaxHz: 8000 };
/** Samples of context before each 1280-sample frame: one 1760-sample window makes 8 mel frames. */
export const MEL_CONTEXT_SAMPLES = 480;
export const MEL_HOP_SAMPLES = 160;
/** Mel frames in one audio frame. */
export const MEL_PER_FRAME = FRAME_SAMPLES / MEL_HOP_SAMPLES; // 8

const SAMPLE_RATE_HZ = 16000;
const N_FFT = 512;
const WINDOW_SAMPLES = 400;
const AMIN = 1e-10;
const TOP_DB = 80;

/** The 8 mel rows (x / 10 + 2) of one 1760-sample window. */
export interface MelFrontEnd {
  rows(input: Float32Array): Promise<Float32Array[]>;
}

/** The model itself: one 1760-sample window per call (its 80 dB clamp spans the whole input tensor). */
export class OnnxMel implements MelFrontEnd {
  constructor(private readonly model: ModelSession) {}

  async rows(input: Float32Array): Promise<Float32Array[]> {
    const out = await this.model.run({ [this.model.inputNames[0]!]: { type: 'float32', data: input, dims: [1, input.length] } });
    const spec = out[this.model.outputNames[0]!]!.data;
    const rows: Float32Array[] = [];
    for (let f = 0; f + MEL_BINS <= spec.length; f += MEL_BINS) {
      const row = new Float32Array(MEL_BINS);
      for (let b = 0; b < MEL_BINS; b++) row[b] = spec[f + b]! / 10 + 2;
      rows.push(row);
    }
    return rows;
  }
}

/** Slaney's mel scale (librosa's default): linear below 1 kHz, logarithmic above. */
function hzToMel(hz: number): number {
  const linear = 200 / 3;
  const logStep = Math.log(6.4) / 27;
  return hz < 1000 ? hz / linear : 1000 / linear + Math.log(hz / 1000) / logStep;
}
function melToHz(mel: number): number {
  const linear = 200 / 3;
  const logStep = Math.log(6.4) / 27;
  return mel < 1000 / linear ? mel * linear : 1000 * Math.exp(logStep * (mel - 1000 / linear));
}

/** One band's triangle: weights for FFT bins first .. first + weights.length - 1. */
interface Band { readonly first: number; readonly weights: Float64Array }

/** librosa.filters.mel(sr=16000, n_fft=512, n_mels=bins, fmin, fmax) (norm 'slaney'), kept sparse. */
function melBands({ bins, fminHz, fmaxHz }: MelBands): Band[] {
  const edges = Array.from({ length: bins + 2 }, (_, i) => melToHz(hzToMel(fminHz) + (i * (hzToMel(fmaxHz) - hzToMel(fminHz))) / (bins + 1)));
  const bands: Band[] = [];
  for (let m = 0; m < bins; m++) {
    const [lo, mid, hi] = [edges[m]!, edges[m + 1]!, edges[m + 2]!];
    const norm = 2 / (hi - lo);
    const weights: number[] = [];
    let first = -1;
    for (let k = 0; k <= N_FFT / 2; k++) {
      const hz = (k * SAMPLE_RATE_HZ) / N_FFT;
      const w = Math.max(0, Math.min((hz - lo) / (mid - lo), (hi - hz) / (hi - mid))) * norm;
      if (w > 0) { if (first < 0) first = k; weights[k - first] = w; } else if (first >= 0) break;
    }
    bands.push({ first, weights: Float64Array.from(weights, (w) => w ?? 0) });
  }
  return bands;
}

/**
 * The power spectrum of real 512-sample frames through one 256-point complex FFT (even samples as real parts, odd as
 * imaginary), then the standard split into the real signal's bins. Only bins up to `maxBin` are formed: openWakeWord's
 * filterbank reads nothing above 3800 Hz (bin 121). Loops run twiddle-outer so each factor is loaded once per stage.
 */
class RealPowerSpectrum {
  private static readonly HALF = N_FFT / 2;
  private readonly re = new Float64Array(RealPowerSpectrum.HALF);
  private readonly im = new Float64Array(RealPowerSpectrum.HALF);
  /** Where sample pair i lands in bit-reversed order. */
  private readonly bitReversed = new Uint16Array(RealPowerSpectrum.HALF);
  /** e^(-2 pi i k / 256) for the butterflies, and e^(-2 pi i k / 512) for the split. */
  private readonly cos256 = new Float64Array(RealPowerSpectrum.HALF / 2);
  private readonly sin256 = new Float64Array(RealPowerSpectrum.HALF / 2);
  private readonly cos512: Float64Array;
  private readonly sin512: Float64Array;

  constructor(private readonly maxBin: number, private readonly window: Float64Array) {
    const half = RealPowerSpectrum.HALF;
    const bits = Math.log2(half);
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitReversed[i] = r;
    }
    for (let k = 0; k < half / 2; k++) { this.cos256[k] = Math.cos((2 * Math.PI * k) / half); this.sin256[k] = -Math.sin((2 * Math.PI * k) / half); }
    this.cos512 = Float64Array.from({ length: maxBin + 1 }, (_, k) => Math.cos((2 * Math.PI * k) / N_FFT));
    this.sin512 = Float64Array.from({ length: maxBin + 1 }, (_, k) => -Math.sin((2 * Math.PI * k) / N_FFT));
  }

  /** |X(k)|^2 for k = 0..maxBin of the windowed 512 samples of `input` from `offset`, into `out`. */
  power(input: Float32Array, offset: number, out: Float64Array): void {
    const half = RealPowerSpectrum.HALF;
    const { re, im, window, bitReversed, cos256, sin256 } = this;
    for (let i = 0; i < half; i++) {
      const j = bitReversed[i]!;
      re[j] = input[offset + 2 * i]! * window[2 * i]!;
      im[j] = input[offset + 2 * i + 1]! * window[2 * i + 1]!;
    }
    // The first two stages have twiddles 1 and -i: one pass of 4-point transforms, no multiplications.
    for (let a = 0; a < half; a += 4) {
      const r0 = re[a]!, i0 = im[a]!, r1 = re[a + 1]!, i1 = im[a + 1]!, r2 = re[a + 2]!, i2 = im[a + 2]!, r3 = re[a + 3]!, i3 = im[a + 3]!;
      const sr01 = r0 + r1, si01 = i0 + i1, dr01 = r0 - r1, di01 = i0 - i1;
      const sr23 = r2 + r3, si23 = i2 + i3, dr23 = r2 - r3, di23 = i2 - i3;
      re[a] = sr01 + sr23; im[a] = si01 + si23;
      re[a + 2] = sr01 - sr23; im[a + 2] = si01 - si23;
      re[a + 1] = dr01 + di23; im[a + 1] = di01 - dr23; // (dr23 + i di23) * -i = di23 - i dr23
      re[a + 3] = dr01 - di23; im[a + 3] = di01 + dr23;
    }
    for (let size = 8; size <= half; size *= 2) {
      const span = size / 2;
      const step = half / size;
      for (let k = 0; k < span; k++) {
        const c = cos256[k * step]!, s = sin256[k * step]!;
        for (let a = k; a < half; a += size) {
          const b = a + span;
          const rb = re[b]!, ib = im[b]!;
          const tr = rb * c - ib * s, ti = rb * s + ib * c;
          const ra = re[a]!, ia = im[a]!;
          re[b] = ra - tr; im[b] = ia - ti;
          re[a] = ra + tr; im[a] = ia + ti;
        }
      }
    }
    // Z = FFT(even + i odd): X(k) = E(k) + e^(-2 pi i k / 512) O(k), E(k) = (Z(k) + conj Z(256 - k)) / 2, O(k) = (Z(k) - conj Z(256 - k)) / 2i.
    const { cos512, sin512 } = this;
    for (let k = 0; k <= this.maxBin; k++) {
      const zr = re[k % half]!, zi = im[k % half]!;
      const cr = re[(half - k) % half]!, ci = -im[(half - k) % half]!;
      const er = (zr + cr) / 2, ei = (zi + ci) / 2;
      const or = (zi - ci) / 2, oi = -(zr - cr) / 2;
      const wr = cos512[k]!, wi = sin512[k]!;
      const xr = er + wr * or - wi * oi, xi = ei + wr * oi + wi * or;
      out[k] = xr * xr + xi * xi;
    }
  }
}

/**
 * The front end in TypeScript (see the top of this file), openWakeWord's bands unless told others. Its scratch buffers are
 * used only within one synchronous call, so instances can be shared.
 */
export class FftMel implements MelFrontEnd {
  private readonly bands: Band[];
  /** Bands per row. */
  readonly bins: number;
  private readonly window = new Float64Array(N_FFT);
  private readonly spectrum: RealPowerSpectrum;
  private readonly power: Float64Array;
  /** Log-mel values of the call's frames before the clamp (8 x bins for the hub's windows; grows for longer input). */
  private db: Float64Array;

  constructor(bands: MelBands = WAKE_MEL) {
    this.bands = melBands(bands);
    this.bins = bands.bins;
    this.db = new Float64Array(MEL_PER_FRAME * this.bins);
    const pad = (N_FFT - WINDOW_SAMPLES) / 2;
    for (let n = 0; n < WINDOW_SAMPLES; n++) this.window[pad + n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / WINDOW_SAMPLES);
    const maxBin = Math.max(...this.bands.map((b) => b.first + b.weights.length - 1));
    this.spectrum = new RealPowerSpectrum(maxBin, this.window);
    this.power = new Float64Array(maxBin + 1);
  }

  rows(input: Float32Array): Promise<Float32Array[]> {
    return Promise.resolve(this.rowsNow(input));
  }

  /** The same, synchronously. One window per call, as with the model: the 80 dB clamp spans the call's frames. */
  rowsNow(input: Float32Array): Float32Array[] {
    const bins = this.bins;
    const frames = Math.floor((input.length - N_FFT) / MEL_HOP_SAMPLES) + 1;
    if (frames * bins > this.db.length) this.db = new Float64Array(frames * bins);
    const db = this.db;
    let loudest = Number.NEGATIVE_INFINITY;
    for (let f = 0; f < frames; f++) {
      this.spectrum.power(input, f * MEL_HOP_SAMPLES, this.power);
      for (let m = 0; m < bins; m++) {
        const { first, weights } = this.bands[m]!;
        let e = 0;
        for (let i = 0; i < weights.length; i++) e += weights[i]! * this.power[first + i]!;
        const v = 10 * Math.log10(Math.max(e, AMIN));
        db[f * bins + m] = v;
        if (v > loudest) loudest = v;
      }
    }
    const floor = loudest - TOP_DB;
    const rows: Float32Array[] = [];
    for (let f = 0; f < frames; f++) {
      const row = new Float32Array(bins);
      for (let m = 0; m < bins; m++) row[m] = Math.max(db[f * bins + m]!, floor) / 10 + 2;
      rows.push(row);
    }
    return rows;
  }
}
