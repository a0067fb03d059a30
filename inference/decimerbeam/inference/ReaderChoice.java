package decimerbeam.inference;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which reading of one image to recommend ({@code bestSmiles}), why ({@link ChosenFrom}) and how
 * far it can be trusted. A rule table, first match wins, calibrated on real patent drawings
 * (bench/real-drawings.sh; README "Which answer to believe"):
 *
 * <ol>
 *   <li>both readers found the same structure: consensus;
 *   <li>the same skeleton with other stereo: MolVec, which reads the wedges drawn;
 *   <li>only one reader has a structure InChI can key: that one;
 *   <li>they differ and one reading has charges no drawn salt has (a net charge, or + and -
 *       within one molecule) where the other has none: the neutral one;
 *   <li>they differ: DECIMER when it is sure of its reading, or when it doubts at most {@link
 *       #FEW_DOUBTS} tokens of one molecule with more atoms than MolVec's and no hard warning
 *       (MolVec drops the atoms of groups it misreads: B(OH)2, SO2, CF3, an oxime's O); else
 *       MolVec when its reading passes the structure checks, else DECIMER unless its own reading
 *       fails a hard check.
 * </ol>
 *
 * Without a second reading (none ran, or it failed, hung or was skipped) DECIMER's reading is the
 * answer, trusted by how sure it is.
 */
public final class ReaderChoice {

  /**
   * DECIMER is sure of a reading whose every token had at least this probability (and whose mean
   * passes {@link StructureWarnings#MIN_MEAN_CONFIDENCE}): on real drawings where the readers
   * differ, below it MolVec was right far more often, above it DECIMER.
   */
  public static final double SURE_MIN_CONFIDENCE = 0.85;

  /**
   * DECIMER doubting at most this many tokens (under {@link #SURE_MIN_CONFIDENCE}) of a reading
   * with more atoms than MolVec's is taken over MolVec's: on real drawings where the readers
   * differ so, DECIMER was right 7 times, MolVec once.
   */
  public static final int FEW_DOUBTS = 2;

  /** DECIMER warnings that say the reading cannot be the drawn structure. */
  private static final Set<Warning> HARD = EnumSet.of(Warning.INVALID_SMILES, Warning.TRUNCATED,
      Warning.UNUSUAL_ELEMENT, Warning.VALENCE, Warning.PLACEHOLDER);

  /** The recommended reading: its SMILES and InChIKey, the rule that chose it and its trust. */
  public record Choice(String smiles, String inchiKey, ChosenFrom from) {
    public Trust trust() {
      return from.trust();
    }
  }

  private ReaderChoice() {}

  /**
   * @param decimer DECIMER's greedy reading
   * @param second the second reader's reading; empty when none ran
   */
  public static Choice choose(DecimerReading decimer, Optional<SecondReading> second) {
    boolean sure = sure(decimer);
    // A reader that threw, hung or was not started says nothing about the drawing; one that
    // found no structure does (on patents, mostly a Markush drawing).
    if (second.isEmpty() || second.get().warning().filter(
        w -> w != SecondOpinionWarning.SECOND_OPINION_EMPTY).isPresent()) {
      return decimerOnly(decimer, sure ? ChosenFrom.DECIMER_ALONE_SURE
          : decimer.warned() ? ChosenFrom.DECIMER_ALONE_WARNED : ChosenFrom.DECIMER_ALONE);
    }
    SecondReading other = second.get();
    Agreement agreement = other.agreementWith(decimer.inchiKey());
    if (agreement == Agreement.SAME) {
      return decimerOnly(decimer, ChosenFrom.CONSENSUS);
    }
    if (agreement == Agreement.SAME_WITHOUT_STEREO) {
      return secondOnly(other, ChosenFrom.MOLVEC_STEREO);
    }
    boolean decimerKeyed = !decimer.inchiKey().isEmpty();
    if (other.inchiKey().isEmpty()) {
      return decimerOnly(decimer,
          decimerKeyed ? ChosenFrom.DECIMER_MOLVEC_NONE : ChosenFrom.NONE);
    }
    if (!decimerKeyed) {
      return secondOnly(other, ChosenFrom.MOLVEC_DECIMER_UNREADABLE);
    }
    Optional<Structures.Composition> read = Structures.composition(decimer.smiles());
    Optional<Structures.Composition> otherRead = Structures.composition(other.smiles());
    if (read.isPresent() && otherRead.isPresent()) {
      if (read.get().strayCharges() && !otherRead.get().charged()) {
        return secondOnly(other, ChosenFrom.MOLVEC_DECIMER_CHARGED);
      }
      if (otherRead.get().strayCharges() && !read.get().charged()) {
        return decimerOnly(decimer, ChosenFrom.DECIMER_MOLVEC_CHARGED);
      }
    }
    if (sure) {
      return decimerOnly(decimer, ChosenFrom.DECIMER_SURE);
    }
    boolean hard = decimer.warnings().stream().anyMatch(HARD::contains);
    if (read.isPresent() && otherRead.isPresent() && !hard
        && decimer.doubtfulTokens() <= FEW_DOUBTS && read.get().fragments() == 1
        && read.get().heavyAtoms() > otherRead.get().heavyAtoms()) {
      return decimerOnly(decimer, ChosenFrom.DECIMER_MOLVEC_FEWER_ATOMS);
    }
    if (structuralWarnings(other.smiles()).isEmpty()) {
      return secondOnly(other, ChosenFrom.MOLVEC_DECIMER_UNSURE);
    }
    return hard
        ? secondOnly(other, ChosenFrom.MOLVEC_BOTH_WARNED)
        : decimerOnly(decimer, ChosenFrom.DECIMER_MOLVEC_WARNED);
  }

  /** No warning of its own but FRAGMENTS (salts are drawn so), and every token likely. */
  static boolean sure(DecimerReading decimer) {
    return decimer.warnings().stream().allMatch(w -> w == Warning.FRAGMENTS)
        && decimer.minConfidence() >= SURE_MIN_CONFIDENCE;
  }

  /** A second reader's structure checks: those of DECIMER's, confidence aside (it has none). */
  static List<Warning> structuralWarnings(String smiles) {
    return StructureWarnings.check(smiles, false, 1, 1);
  }

  private static Choice decimerOnly(DecimerReading decimer, ChosenFrom from) {
    return new Choice(decimer.smiles(), decimer.inchiKey(), from);
  }

  private static Choice secondOnly(SecondReading second, ChosenFrom from) {
    return new Choice(second.smiles(), second.inchiKey(), from);
  }
}
