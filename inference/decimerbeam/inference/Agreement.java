package decimerbeam.inference;

/**
 * Whether two readings of one image are the same structure, by standard InChIKey. The first
 * block of an InChIKey hashes the skeleton (formula, connections, hydrogens); the second the
 * other layers (stereo, isotopes, charge), so equal first blocks mean the same structure with
 * stereo (and those other layers) aside.
 */
public enum Agreement {
  /** Equal InChIKeys. */
  SAME,
  /** Equal first blocks, different InChIKeys: stereo (or isotopes, charge) differ. */
  SAME_WITHOUT_STEREO,
  /** Both have an InChIKey and the first blocks differ. */
  DIFFERENT,
  /** One side has no InChIKey (no reading, or an invalid one): nothing to compare. */
  UNKNOWN;

  private static final int FIRST_BLOCK = 14;

  public static Agreement of(String inchiKeyA, String inchiKeyB) {
    if (!isKey(inchiKeyA) || !isKey(inchiKeyB)) {
      return UNKNOWN;
    }
    if (inchiKeyA.equals(inchiKeyB)) {
      return SAME;
    }
    return firstBlock(inchiKeyA).equals(firstBlock(inchiKeyB)) ? SAME_WITHOUT_STEREO : DIFFERENT;
  }

  /** True for {@link #SAME}. */
  public boolean sameStructure() {
    return this == SAME;
  }

  /** True for {@link #SAME} and {@link #SAME_WITHOUT_STEREO}. */
  public boolean sameWithoutStereo() {
    return this == SAME || this == SAME_WITHOUT_STEREO;
  }

  private static boolean isKey(String key) {
    return key != null && key.length() > FIRST_BLOCK && key.charAt(FIRST_BLOCK) == '-';
  }

  private static String firstBlock(String key) {
    return key.substring(0, FIRST_BLOCK);
  }
}
