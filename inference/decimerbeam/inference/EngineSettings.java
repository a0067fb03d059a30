package decimerbeam.inference;

/**
 * Runtime knobs of the engine.
 *
 * @param intraOpThreads threads TensorFlow may use inside one op (0 = one per core)
 * @param interOpThreads threads TensorFlow may use to run independent ops (0 = one per core)
 * @param maxPixels images whose header claims more pixels are refused before decoding
 */
public record EngineSettings(int intraOpThreads, int interOpThreads, long maxPixels) {

  /** Pillow's own decompression-bomb limit, which DECIMER inherits. */
  public static final long DEFAULT_MAX_PIXELS = 178_956_970L;

  public static EngineSettings defaults() {
    return new EngineSettings(0, 0, DEFAULT_MAX_PIXELS);
  }

  public EngineSettings {
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be >= 0 (0 = TensorFlow default)");
    }
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be > 0, got " + maxPixels);
    }
  }
}
