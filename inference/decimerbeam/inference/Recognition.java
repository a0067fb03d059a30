package decimerbeam.inference;

/**
 * What the model read from one image.
 *
 * @param smiles the SMILES string, exactly as DECIMER's {@code predict_SMILES} returns it
 * @param tokenConfidences per-token probabilities, aligned as DECIMER's {@code confidence=True}
 *     pairs (first token after {@code <start>} up to, not including, the last decoded token)
 * @param truncated true when decoding stopped at the model's step limit without {@code <end>}
 * @param preprocessMillis time spent decoding and preprocessing the image
 * @param inferenceMillis time spent in the model
 */
public record Recognition(
    String smiles,
    float[] tokenConfidences,
    boolean truncated,
    long preprocessMillis,
    long inferenceMillis) {

  /** Mean of the token confidences; 0 when there are none. */
  public double meanConfidence() {
    if (tokenConfidences.length == 0) {
      return 0.0;
    }
    double sum = 0;
    for (float c : tokenConfidences) {
      sum += c;
    }
    return sum / tokenConfidences.length;
  }

  /** Lowest token confidence; 0 when there are none. */
  public double minConfidence() {
    if (tokenConfidences.length == 0) {
      return 0.0;
    }
    float min = Float.MAX_VALUE;
    for (float c : tokenConfidences) {
      min = Math.min(min, c);
    }
    return min;
  }

  public int tokenCount() {
    return tokenConfidences.length;
  }
}
