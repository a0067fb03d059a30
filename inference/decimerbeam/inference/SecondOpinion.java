package decimerbeam.inference;

/**
 * A second reader of the same image bytes the engine gets, so that a row can say whether two
 * independent readers found the same structure. A reading never throws: whatever goes wrong
 * (unreadable image, nothing found, a hang) comes back as {@link SecondReading#warning()}, and
 * the image keeps DECIMER's result. Safe to call from many threads at once.
 */
public interface SecondOpinion extends AutoCloseable {

  /** The reader and its version, recorded with every row it gave an opinion on. */
  String readerId();

  /** Reads one image; never throws, never takes longer than the implementation's bound. */
  SecondReading read(byte[] image);

  /** Frees what the reader holds; readings still running are abandoned. */
  @Override
  void close();
}
