package decimerbeam.inference;

/**
 * Image bytes → what a model reads in them. {@link DecimerEngine} is the one production
 * implementation; the pipeline's transforms see only this interface. Safe to call from many
 * threads at once.
 */
public interface Recognizer extends AutoCloseable {

  /** The id recorded with every row this recognizer produced. */
  String modelId();

  /** Recognises one image; bad input is a typed {@link RecognitionException}, never a crash. */
  Recognition recognize(byte[] image) throws RecognitionException;

  /** Frees the model; no call may be running. */
  @Override
  void close();
}
