package decimerbeam.inference;

/**
 * A second reader of the same image bytes the engine gets, so that a row can say whether two
 * independent readers found the same structure. A reading throws no exception: whatever goes
 * wrong with the image (unreadable, nothing found, a hang) comes back as
 * {@link SecondReading#warning()}, and the image keeps DECIMER's result. Only a
 * {@link java.lang.Error} such as the heap running out propagates: that is the worker's
 * failure, not the image's. Safe to call from many threads at once.
 */
public interface SecondOpinion extends AutoCloseable {

  /** The reader and its version, recorded with every row it gave an opinion on. */
  String readerId();

  /** Reads one image; throws no exception, never takes longer than the implementation's bound. */
  SecondReading read(byte[] image);

  /** Frees what the reader holds; readings still running are abandoned. */
  @Override
  void close();
}
