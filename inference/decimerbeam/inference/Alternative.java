package decimerbeam.inference;

/**
 * One of DECIMER's k best readings of an image ({@link DecimerEngine#alternatives}).
 *
 * @param smiles the SMILES, detokenised as DECIMER's greedy answer is
 * @param score the sum of the natural-log probabilities of the tokens chosen after
 *     {@code <start>}, {@code <end>} included: the quantity the beam ranks by (0 is certain)
 * @param tokenCount how many tokens that sum covers
 * @param truncated true when the reading reached the model's step limit without {@code <end>}
 */
public record Alternative(String smiles, double score, int tokenCount, boolean truncated) {

  /** The score per token: comparable between readings of different lengths; 0 for none. */
  public double meanLogProbability() {
    return tokenCount == 0 ? 0.0 : score / tokenCount;
  }
}
