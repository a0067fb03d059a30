package decimerbeam.inference;

/**
 * Which reading a row's {@code bestSmiles} is, and why: the rules of {@link ReaderChoice}, each
 * with the trust its rows get. Trust and the estimated precision come from real patent drawings
 * (bench/real-drawings.sh; README "Which answer to believe"): the precision is the share of the
 * rule's rows whose answer matched the reference, over the 1,734 images of the three calibration
 * sets together, with MolVec and without it (0 for a rule with no row there).
 */
public enum ChosenFrom {
  /** Both readers found the same structure (equal InChIKeys). */
  CONSENSUS("consensus", Trust.HIGH, 0.993),
  /** Same skeleton, other stereo: MolVec reads the wedges drawn, DECIMER guesses them. */
  MOLVEC_STEREO("molvec/stereo", Trust.HIGH, 0.975),
  /**
   * The readers differ; DECIMER's reading has charges no drawn salt has (on patent scans, an
   * NH read as N-), MolVec's has none.
   */
  MOLVEC_DECIMER_CHARGED("molvec/decimer-charged", Trust.MEDIUM, 0.934),
  /**
   * The readers differ; MolVec's reading has charges no drawn salt has (a sulfonyl read as a
   * charge-separated sulfoxide, S+ and O-), DECIMER's has none.
   */
  DECIMER_MOLVEC_CHARGED("decimer/molvec-charged", Trust.MEDIUM, 0.900),
  /** The readers differ and DECIMER is sure: no warning but FRAGMENTS, every token likely. */
  DECIMER_SURE("decimer/sure", Trust.MEDIUM, 0.885),
  /**
   * The readers differ; DECIMER doubts a token or two of one molecule with more atoms than
   * MolVec's reading, which dropped some.
   */
  DECIMER_MOLVEC_FEWER_ATOMS("decimer/molvec-fewer-atoms", Trust.MEDIUM, 0.700),
  /** The readers differ, DECIMER is not sure, MolVec's reading passes the structure checks. */
  MOLVEC_DECIMER_UNSURE("molvec/decimer-unsure", Trust.MEDIUM, 0.789),
  /** The readers differ; MolVec's reading fails a structure check, DECIMER's only soft ones. */
  DECIMER_MOLVEC_WARNED("decimer/molvec-warned", Trust.LOW, 0.444),
  /** The readers differ and both readings fail a structure check. */
  MOLVEC_BOTH_WARNED("molvec/both-warned", Trust.LOW, 0.0),
  /** DECIMER's SMILES has no structure InChI can key; MolVec's has one. */
  MOLVEC_DECIMER_UNREADABLE("molvec/decimer-unreadable", Trust.MEDIUM, 0.778),
  /**
   * MolVec found no structure: on the calibration sets every such image was a Markush drawing
   * (R-groups), which no single structure matches, so DECIMER's reading of it cannot be right.
   */
  DECIMER_MOLVEC_NONE("decimer/molvec-none", Trust.LOW, 0.0),
  /** Neither reader has a structure InChI can key. */
  NONE("none", Trust.LOW, 0.0),
  /**
   * No second reading (none ran, or it failed, hung or was skipped); DECIMER is sure (as {@link
   * #DECIMER_SURE}).
   */
  DECIMER_ALONE_SURE("decimer/alone-sure", Trust.MEDIUM, 0.970),
  /** No second reading; DECIMER has no warning but is not sure. */
  DECIMER_ALONE("decimer/alone", Trust.MEDIUM, 0.712),
  /** No second reading; DECIMER's reading has warnings. */
  DECIMER_ALONE_WARNED("decimer/alone-warned", Trust.LOW, 0.313);

  private final String label;
  private final Trust trust;
  private final double precision;

  ChosenFrom(String label, Trust trust, double precision) {
    this.label = label;
    this.trust = trust;
    this.precision = precision;
  }

  /** The value written in the row's {@code chosenFrom}: the reader, then why. */
  public String label() {
    return label;
  }

  /** The trust of every row this rule chooses for. */
  public Trust trust() {
    return trust;
  }

  /** Share of this rule's rows whose {@code bestSmiles} matched the reference when calibrated. */
  public double estimatedPrecision() {
    return precision;
  }

  /** The rule a row's {@code chosenFrom} names; empty for an unknown or empty label. */
  public static java.util.Optional<ChosenFrom> ofLabel(String label) {
    for (ChosenFrom c : values()) {
      if (c.label.equals(label)) {
        return java.util.Optional.of(c);
      }
    }
    return java.util.Optional.empty();
  }
}
