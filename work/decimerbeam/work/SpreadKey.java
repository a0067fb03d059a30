package decimerbeam.work;

/**
 * The shuffle keys an image travels under to its recognition worker. A directory's images are
 * dealt over a few keys of its own, not over keys shared with the whole run: the directory
 * still runs on every worker at once, and because a batch runner (Flink) works through its
 * keys in sorted order, and the key starts with the directory's hash, every worker reaches a
 * directory's images at about the same time. So directories complete one after another during
 * the run, each with few staged files, instead of all in its last seconds.
 *
 * <p>The key is a long: the high 32 bits hash the directory's output key, the low 32 bits tell
 * the directory's keys apart. Encoded big-endian, its bytes sort like the numbers.
 *
 * <p>Where the job's workers and the runner's {@link KeyPlacement} are known (Flink: the job's
 * parallelism, each a task slot holding one image in flight), a directory gets one key per
 * worker, each chosen (by trying low halves 0, 1, 2, ...) to land on a different worker: a
 * directory of at least as many images as workers keeps every slot busy, one of fewer images
 * gets a worker per image, starting at a worker its hash picks so that small directories do
 * not all land on the first workers. A run has at most directories x workers keys, and never
 * more keys than images. Hashing {@link #KEYS_PER_DIRECTORY} keys instead would leave slots
 * idle: 32 keys reach about 25 of 64 subtasks (BENCHMARKS.md, "Images in flight on Flink").
 *
 * <p>Elsewhere (the DirectRunner, whose threads take any key) a directory's images are dealt
 * over {@link #KEYS_PER_DIRECTORY} keys, 0 to 31.
 */
public final class SpreadKey {

  /** Keys per directory where the workers are not known. */
  static final int KEYS_PER_DIRECTORY = 32;

  /**
   * Low halves tried per worker before giving up on reaching every worker: a fair placement
   * reaches all of n workers in about n ln n tries.
   */
  static final int TRIES_PER_WORKER = 64;

  private SpreadKey() {}

  /**
   * The keys of a directory with {@code imagesToDo} images: the {@code i}-th image (0-based)
   * travels under {@code keys[i % keys.length]}. {@code placement} null: the workers are not
   * known.
   */
  public static long[] forDirectory(DirectoryWork work, int imagesToDo, int workers,
      KeyPlacement placement) {
    long high = (long) work.key().hashCode() << 32;
    if (placement == null) {
      long[] keys = new long[Math.max(1, Math.min(KEYS_PER_DIRECTORY, imagesToDo))];
      for (int j = 0; j < keys.length; j++) {
        keys[j] = high | j;
      }
      return keys;
    }
    int wanted = Math.max(1, Math.min(workers, imagesToDo));
    // Mixed: names like plate-0001 differ in the low bits of their hash in few patterns.
    int first = (int) Math.floorMod((work.key().hashCode() * 0x9E3779B97F4A7C15L) >>> 32,
        (long) workers);
    long[] keyOf = new long[workers];
    boolean[] has = new boolean[workers];
    boolean[] isWanted = new boolean[workers];
    for (int j = 0; j < wanted; j++) {
      isWanted[(first + j) % workers] = true;
    }
    int found = 0;
    long low = 0;
    long tries = (long) TRIES_PER_WORKER * workers;
    for (; low < tries && found < wanted; low++) {
      int w = placement.workerOf(high | low, workers);
      if (w < 0 || w >= workers) {
        throw new IllegalStateException("placement " + placement + " put key " + (high | low)
            + " on worker " + w + " of " + workers);
      }
      if (isWanted[w] && !has[w]) {
        has[w] = true;
        keyOf[w] = high | low;
        found++;
      }
    }
    long[] keys = new long[wanted];
    int k = 0;
    for (int j = 0; j < wanted; j++) {
      int w = (first + j) % workers;
      // A worker the placement never reached: a further key, wherever it lands.
      keys[k++] = has[w] ? keyOf[w] : high | low++;
    }
    return keys;
  }
}
