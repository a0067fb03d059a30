package decimerbeam.inference;

/**
 * The model's decoder, one implementation per {@link DecoderKind}: the model input of one image
 * to its token ids and their confidences, under the image's deadline. Safe to call from many
 * threads at once; closed once, by the engine that loaded it.
 */
sealed interface Decoder extends AutoCloseable permits FullDecoder, CachedDecoder {

  DecoderKind kind();

  /**
   * Decodes one preprocessed image ({@link TfImageOps#MODEL_SIDE}² × 3 floats).
   *
   * @param deadline {@link System#nanoTime()} by which the call ends; {@code Long.MAX_VALUE}
   *     for none
   * @param timeoutMillis the limit the deadline stands for, for the TIMEOUT row's message; 0
   *     for none
   */
  DecodingLoop.Decoded decode(float[] input, long deadline, long timeoutMillis)
      throws RecognitionException;

  /** How it runs, for the load line: e.g. ", 2 decoding loop(s) of 8 rows". */
  String describe();

  @Override
  void close();
}
