package decimerbeam.transforms;

/**
 * The shuffle key an image travels under to its recognition worker. A directory's images are
 * dealt over a few keys of its own ({@link #KEYS_PER_DIRECTORY} at most), not over keys shared
 * with the whole run: the directory still runs on many workers at once, and because a batch
 * runner (Flink) works through its keys in sorted order, and the key starts with the
 * directory's hash, every worker reaches a directory's images at about the same time. So
 * directories complete one after another during the run, each with few staged files, instead
 * of all in its last seconds.
 *
 * <p>The key is a long: the high 32 bits hash the directory's output key, the low 32 bits
 * number the image's slot in it. Encoded big-endian, its bytes sort like the numbers.
 */
final class SpreadKey {

  /**
   * Keys per directory: more than the slots of the largest worker here (16 per VM), so one
   * big directory still uses every slot, while a run of 2,000 directories stays at tens of
   * thousands of keys.
   */
  static final int KEYS_PER_DIRECTORY = 32;

  private SpreadKey() {}

  /** The key of the {@code index}-th image (0-based) to recognise in a directory of them. */
  static long of(DirectoryWork work, int index, int imagesToDo) {
    int slots = Math.max(1, Math.min(KEYS_PER_DIRECTORY, imagesToDo));
    return ((long) work.key().hashCode() << 32) | Math.floorMod(index, slots);
  }
}
