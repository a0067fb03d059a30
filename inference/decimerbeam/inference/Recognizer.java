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

  /**
   * What recognising this image will take at most, from its header, before anything is
   * decoded; an image that could never fit is a TOO_LARGE {@link RecognitionException}.
   */
  default WorkingMemory workingMemory(byte[] image) throws RecognitionException {
    return WorkingMemory.NONE;
  }

  /**
   * Recognises one image and stops working on it (freeing what it holds) once
   * {@code timeoutMillis} have passed or its thread is interrupted; 0 = no limit.
   */
  default Recognition recognize(byte[] image, long timeoutMillis) throws RecognitionException {
    return recognize(image);
  }

  /** Frees the model; no call may be running. */
  @Override
  void close();
}
