/**
 * WebCodecs VideoEncoder → mediabunny muxer: H.264 (avc1) in MP4 by default, VP9 in WebM.
 * Frames carry their exact timestamps (i/fps); the track's frame rate snaps them in the file.
 * Back-pressure: `encode` waits while the encoder's queue is long and while the muxer is busy.
 */
import { BufferTarget, EncodedPacket, EncodedVideoPacketSource, Mp4OutputFormat, Output, WebMOutputFormat } from 'mediabunny';
import type { VideoFormat } from '../../../shared/scenario';

/** Encoder queue length above which `encode` waits for the encoder to catch up. */
const MAX_QUEUE = 4;

export interface EncoderOptions {
  width: number;
  height: number;
  fps: number;
  format: VideoFormat;
  /** Seconds between key frames (default 2). */
  keyFrameInterval?: number;
}

/** H.264 levels by max macroblocks per second and per frame (Table A-1), lowest first. */
const AVC_LEVELS: [level: number, mbps: number, fs: number][] = [
  [0x1e, 40500, 1620], [0x1f, 108000, 3600], [0x20, 216000, 5120], [0x28, 245760, 8192],
  [0x2a, 522240, 8704], [0x32, 589824, 22080], [0x33, 983040, 36864],
];

export function avcCodecStrings(width: number, height: number, fps: number): string[] {
  const fs = Math.ceil(width / 16) * Math.ceil(height / 16);
  const level = (AVC_LEVELS.find(([, mbps, f]) => fs <= f && fs * fps <= mbps) ?? AVC_LEVELS[AVC_LEVELS.length - 1])[0];
  const l = level.toString(16).padStart(2, '0');
  // High, Main, Constrained Baseline: the first the platform's encoder takes wins.
  return [`avc1.6400${l}`, `avc1.4d00${l}`, `avc1.42e0${l}`];
}

export function vp9CodecStrings(width: number, height: number, fps: number): string[] {
  const pixelsPerSecond = width * height * fps;
  const level = pixelsPerSecond <= 36_864_000 ? '31' : pixelsPerSecond <= 83_558_400 ? '40' : '41';
  return [`vp09.00.${level}.08`, 'vp09.00.41.08'];
}

export function bitrateFor(width: number, height: number, fps: number): number {
  // About 0.1 bit per pixel per frame: crisp overlays and shadows without huge files.
  return Math.round(Math.min(20e6, Math.max(500e3, width * height * fps * 0.1)));
}

export interface EncoderSupport {
  config: VideoEncoderConfig;
}

export async function pickEncoderConfig(o: EncoderOptions): Promise<VideoEncoderConfig> {
  if (typeof VideoEncoder === 'undefined') throw new Error('this browser has no WebCodecs VideoEncoder (Chromium 94 or newer needed)');
  const codecs = o.format === 'mp4' ? avcCodecStrings(o.width, o.height, o.fps) : vp9CodecStrings(o.width, o.height, o.fps);
  for (const codec of codecs) {
    const config: VideoEncoderConfig = {
      codec,
      width: o.width,
      height: o.height,
      framerate: o.fps,
      bitrate: bitrateFor(o.width, o.height, o.fps),
      latencyMode: 'quality',
      ...(o.format === 'mp4' ? { avc: { format: 'avc' as const } } : {}),
    };
    const r = await VideoEncoder.isConfigSupported(config).catch(() => ({ supported: false }));
    if (r.supported) return config;
  }
  throw new Error(
    `this browser cannot encode ${o.format === 'mp4' ? 'H.264' : 'VP9'} at ${o.width}x${o.height} ${o.fps} fps ` +
      `(tried ${codecs.join(', ')})${o.format === 'mp4' ? '; try the WebM (VP9) format' : ''}`,
  );
}

export class ClipEncoder {
  private readonly output: Output<Mp4OutputFormat | WebMOutputFormat, BufferTarget>;
  private readonly source: EncodedVideoPacketSource;
  private encoder: VideoEncoder | null = null;
  private muxing: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private readonly frameUs: number;
  private readonly keyEvery: number;
  framesIn = 0;
  packetsOut = 0;

  private constructor(private readonly o: EncoderOptions, private readonly config: VideoEncoderConfig) {
    this.output = new Output({
      format: o.format === 'mp4' ? new Mp4OutputFormat({ fastStart: 'in-memory' }) : new WebMOutputFormat(),
      target: new BufferTarget(),
    });
    this.source = new EncodedVideoPacketSource(o.format === 'mp4' ? 'avc' : 'vp9');
    this.output.addVideoTrack(this.source, { frameRate: o.fps });
    this.frameUs = 1e6 / o.fps;
    this.keyEvery = Math.max(1, Math.round((o.keyFrameInterval ?? 2) * o.fps));
  }

  static async create(o: EncoderOptions): Promise<ClipEncoder> {
    const config = await pickEncoderConfig(o);
    const clip = new ClipEncoder(o, config);
    await clip.start();
    return clip;
  }

  get codec(): string {
    return this.config.codec;
  }

  get mimeType(): string {
    return this.o.format === 'mp4' ? 'video/mp4' : 'video/webm';
  }

  private async start(): Promise<void> {
    await this.output.start();
    this.encoder = new VideoEncoder({
      output: (chunk, meta) => {
        const packet = EncodedPacket.fromEncodedChunk(chunk);
        this.packetsOut++;
        this.muxing = this.muxing.then(() => this.source.add(packet, meta)).catch((err) => this.fail(err));
      },
      error: (err) => this.fail(err),
    });
    this.encoder.configure(this.config);
  }

  private fail(err: unknown): void {
    this.failure ??= err instanceof Error ? err : new Error(String(err));
  }

  private check(): void {
    if (this.failure) throw new Error(`video encoding failed: ${this.failure.message}`);
  }

  /** Encodes video frame `index` drawn on `canvas`; resolves when there is room for the next. */
  async encode(canvas: HTMLCanvasElement | OffscreenCanvas, index: number): Promise<void> {
    this.check();
    const enc = this.encoder!;
    while (enc.encodeQueueSize > MAX_QUEUE) {
      await new Promise<void>((resolve) => enc.addEventListener('dequeue', () => resolve(), { once: true }));
      this.check();
    }
    const frame = new VideoFrame(canvas, {
      timestamp: Math.round(index * this.frameUs),
      duration: Math.round(this.frameUs),
      alpha: 'discard',
    });
    try {
      enc.encode(frame, { keyFrame: index % this.keyEvery === 0 });
    } finally {
      frame.close();
    }
    this.framesIn++;
    // Keep the muxer from falling far behind (it awaits the writer).
    if (this.framesIn - this.packetsOut > 2 * MAX_QUEUE) await this.muxing;
    this.check();
  }

  /** Flushes the encoder, finalizes the file and returns its bytes. */
  async finish(): Promise<Uint8Array> {
    this.check();
    await this.encoder!.flush();
    await this.muxing;
    this.check();
    this.encoder!.close();
    this.encoder = null;
    await this.output.finalize();
    const buf = this.output.target.buffer;
    if (!buf) throw new Error('the muxer produced no file');
    return new Uint8Array(buf);
  }

  async cancel(): Promise<void> {
    try {
      if (this.encoder && this.encoder.state !== 'closed') this.encoder.close();
    } catch {
      /* already closed */
    }
    this.encoder = null;
    await this.output.cancel().catch(() => {});
  }
}
