package decimerbeam.inference;

/**
 * Runtime knobs of the engine.
 *
 * @param intraOpThreads threads TensorFlow may use inside one op (0 = one per core)
 * @param interOpThreads threads TensorFlow may use to run independent ops (0 = one per core)
 * @param maxPixels images whose header claims more pixels are refused before decoding
 * @param decoder the published full-prefix decoder or the cached, batched one
 * @param maxBatch most in-flight images one cached-decoder step serves at once
 * @param decoderLoops cached-decoder loops, each stepping its own batch of {@code maxBatch}
 *     rows on its own thread
 */
public record EngineSettings(int intraOpThreads, int interOpThreads, long maxPixels,
    DecoderKind decoder, int maxBatch, int decoderLoops) {

  /** One decoding loop. */
  public EngineSettings(int intraOpThreads, int interOpThreads, long maxPixels,
      DecoderKind decoder, int maxBatch) {
    this(intraOpThreads, interOpThreads, maxPixels, decoder, maxBatch, 1);
  }

  /**
   * Decoding loops for a JVM with {@code cores}: one loop's thread, stepping about 8 rows, keeps
   * up with the encoders of two cores (BENCHMARKS.md 1d: with 8 images on 2 cores its thread was
   * busy 97 % of the time), so one per two cores, and never more than there are images.
   */
  public static int decoderLoopsFor(int cores, int imagesInFlight) {
    return Math.max(1, Math.min(cores / 2, imagesInFlight));
  }

  /**
   * What the smallest heap we run with (1 GiB: runner-configs/flink/local-2core.yaml, the
   * crash tests) can hold: decoding and preprocessing take up to 25 bytes of heap per pixel
   * ({@link WorkingMemory}: 16-bit RGBA samples, three RGBA and two gray copies, the crop) and
   * one image may use half the heap, so 512 MiB / 25 B = 21.5 million, rounded down. Pillow's
   * own limit (178,956,970, which DECIMER inherits) needs 4.2 GiB for one image.
   */
  public static final long DEFAULT_MAX_PIXELS = 20_000_000L;

  /**
   * The decoder used when none is chosen: the cached one, since it gives Python DECIMER's SMILES
   * on all 117 parity images (EngineParityIT) at a fraction of the CPU.
   */
  public static final DecoderKind DEFAULT_DECODER = DecoderKind.CACHED;

  /** Rows of one cached step: past 16 a step costs about as much per image (README). */
  public static final int DEFAULT_MAX_BATCH = 16;

  public static EngineSettings defaults() {
    return new EngineSettings(0, 0, DEFAULT_MAX_PIXELS);
  }

  /** The default decoder and batch. */
  public EngineSettings(int intraOpThreads, int interOpThreads, long maxPixels) {
    this(intraOpThreads, interOpThreads, maxPixels, DEFAULT_DECODER, DEFAULT_MAX_BATCH);
  }

  public EngineSettings {
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be >= 0 (0 = TensorFlow default)");
    }
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be > 0, got " + maxPixels);
    }
    if (decoder == null) {
      throw new IllegalArgumentException("decoder must be full or cached");
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
    }
    if (decoderLoops < 1) {
      throw new IllegalArgumentException("decoderLoops must be >= 1, got " + decoderLoops);
    }
  }

  public EngineSettings withDecoder(DecoderKind kind) {
    return new EngineSettings(intraOpThreads, interOpThreads, maxPixels, kind, maxBatch,
        decoderLoops);
  }

  public EngineSettings withMaxBatch(int n) {
    return new EngineSettings(intraOpThreads, interOpThreads, maxPixels, decoder, n,
        decoderLoops);
  }

  public EngineSettings withDecoderLoops(int n) {
    return new EngineSettings(intraOpThreads, interOpThreads, maxPixels, decoder, maxBatch, n);
  }
}
