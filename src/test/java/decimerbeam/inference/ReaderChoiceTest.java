package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import decimerbeam.bench.ReaderChoiceEvaluation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The choice rule, first on readings built to hit each rule, then on recorded readers' outputs
 * for real patent drawings (src/test/resources/ocsr-calibration/recorded-readings.jsonl: every
 * tenth image of the calibration readings, with the reference's InChIKey), so no model is needed.
 */
class ReaderChoiceTest {

  private static final String CAFFEINE = "CN1C=NC2=C1C(=O)N(C(=O)N2C)C";
  private static final String THEOPHYLLINE = "CN1C2=C(C(=O)N(C1=O)C)NC=N2";
  private static final Path RECORDED =
      Path.of("src/test/resources/ocsr-calibration/recorded-readings.jsonl");

  private static String key(String smiles) {
    return Structures.identify(smiles).map(Structures.Identity::inchiKey).orElse("");
  }

  /** A reading whose lowest token is {@code min}, the only doubtful one if under 0.85. */
  private static DecimerReading decimer(String smiles, double mean, double min) {
    return decimer(smiles, mean, min, min < ReaderChoice.SURE_MIN_CONFIDENCE ? 1 : 0);
  }

  private static DecimerReading decimer(String smiles, double mean, double min, int doubtful) {
    return new DecimerReading(smiles, key(smiles),
        StructureWarnings.check(smiles, false, mean, min), min, doubtful);
  }

  private static Optional<SecondReading> molvec(String smiles) {
    return Optional.of(SecondReading.of(smiles, key(smiles), 0.1));
  }

  private static ReaderChoice.Choice choose(DecimerReading d, Optional<SecondReading> m) {
    return ReaderChoice.choose(d, m);
  }

  @Test
  void readersThatAgreeAreAConsensusWhateverDecimersDoubts() {
    ReaderChoice.Choice c = choose(decimer(CAFFEINE, 0.9, 0.3),
        molvec("O=C1N(C)C(=O)N(C)c2ncn(C)c12"));
    assertThat(c.from(), equalTo(ChosenFrom.CONSENSUS));
    assertThat(c.smiles(), equalTo(CAFFEINE));
    assertThat(c.trust(), equalTo(Trust.HIGH));
  }

  @Test
  void otherStereoTakesMolVecsWedges() {
    ReaderChoice.Choice c = choose(decimer("C[C@H](N)C(=O)O", 0.99, 0.99),
        molvec("C[C@@H](N)C(=O)O"));
    assertThat(c.from(), equalTo(ChosenFrom.MOLVEC_STEREO));
    assertThat(c.smiles(), equalTo("C[C@@H](N)C(=O)O"));
  }

  @Test
  void whenTheyDifferASureDecimerStaysAndAnUnsureOneGivesWay() {
    ReaderChoice.Choice sure = choose(decimer(CAFFEINE, 0.99, 0.9), molvec(THEOPHYLLINE));
    assertThat(sure.from(), equalTo(ChosenFrom.DECIMER_SURE));
    assertThat(sure.smiles(), equalTo(CAFFEINE));
    // No warning, but one token under the bar: not sure.
    ReaderChoice.Choice unsure = choose(decimer(THEOPHYLLINE, 0.99, 0.7), molvec(CAFFEINE));
    assertThat(unsure.from(), equalTo(ChosenFrom.MOLVEC_DECIMER_UNSURE));
    assertThat(unsure.smiles(), equalTo(CAFFEINE));
    // A salt drawn as two parts does not make DECIMER unsure.
    ReaderChoice.Choice salt = choose(decimer("[Na+].[O-]C(=O)C", 0.99, 0.95), molvec("CC(=O)O"));
    assertThat(salt.from(), equalTo(ChosenFrom.DECIMER_SURE));
  }

  @Test
  void aReadingWithChargesNoDrawnSaltHasGivesWayToANeutralOne() {
    // DECIMER reads an NH of a patent scan as N-, MolVec a neutral structure: MolVec's,
    // however sure DECIMER is.
    DecimerReading sureAnion = decimer("C[N-]C1=CC=CC=C1", 0.99, 0.95);
    assertThat("a sure reading", ReaderChoice.sure(sureAnion), equalTo(true));
    ReaderChoice.Choice anion = choose(sureAnion, molvec("CNC1=CC=CC=C1C"));
    assertThat(anion.from(), equalTo(ChosenFrom.MOLVEC_DECIMER_CHARGED));
    assertThat(anion.smiles(), equalTo("CNC1=CC=CC=C1C"));
    // MolVec reads a sulfonyl as S+ and O-: DECIMER's, however unsure.
    ReaderChoice.Choice sulfonyl = choose(decimer("CS(=O)(=O)C1=CC=CC=C1", 0.9, 0.4, 5),
        molvec("C[S+]([O-])C1=CC=CC=C1"));
    assertThat(sulfonyl.from(), equalTo(ChosenFrom.DECIMER_MOLVEC_CHARGED));
    assertThat(sulfonyl.smiles(), equalTo("CS(=O)(=O)C1=CC=CC=C1"));
    // A salt's ions and a nitro group are charges as drawn: the rule does not apply.
    assertThat(choose(decimer("[Na+].[O-]C(=O)CC", 0.99, 0.6, 3), molvec("CCC(=O)OC")).from(),
        equalTo(ChosenFrom.MOLVEC_DECIMER_UNSURE));
    assertThat(choose(decimer("[O-][N+](=O)C1=CC=CC=C1", 0.99, 0.6, 3),
        molvec("CC1=CC=CC=C1")).from(), equalTo(ChosenFrom.MOLVEC_DECIMER_UNSURE));
    // Both charged, stray or a salt's: the rule has nothing to weigh.
    assertThat(choose(decimer("C[N-]C1=CC=CC=C1", 0.99, 0.6, 3),
        molvec("C[S+]([O-])C1=CC=CC=C1")).from(), equalTo(ChosenFrom.MOLVEC_DECIMER_UNSURE));
    assertThat(choose(decimer("C[N-]C1=CC=CC=C1", 0.99, 0.6, 3),
        molvec("C[NH3+].[Cl-]")).from(), not(equalTo(ChosenFrom.MOLVEC_DECIMER_CHARGED)));
  }

  @Test
  void decimerDoubtingAFewTokensOfMoreAtomsThanMolVecReadKeepsItsReading() {
    // MolVec reads a boronic acid's B(OH)2 as B-OH; DECIMER doubts one token.
    String boronic = "OB(O)C1=CC=C(C=C1)C=O";
    String dropped = "OBC1=CC=C(C=C1)C=O";
    ReaderChoice.Choice c = choose(decimer(boronic, 0.98, 0.6, 1), molvec(dropped));
    assertThat(c.from(), equalTo(ChosenFrom.DECIMER_MOLVEC_FEWER_ATOMS));
    assertThat(c.smiles(), equalTo(boronic));
    assertThat(choose(decimer(boronic, 0.98, 0.6, ReaderChoice.FEW_DOUBTS), molvec(dropped))
        .from(), equalTo(ChosenFrom.DECIMER_MOLVEC_FEWER_ATOMS));
    // More doubts than that, a reading in parts, or no atoms more: MolVec's, as before.
    assertThat(choose(decimer(boronic, 0.98, 0.6, ReaderChoice.FEW_DOUBTS + 1), molvec(dropped))
        .from(), equalTo(ChosenFrom.MOLVEC_DECIMER_UNSURE));
    assertThat(choose(decimer(boronic + ".Cl", 0.98, 0.6, 1), molvec(dropped)).from(),
        equalTo(ChosenFrom.MOLVEC_DECIMER_UNSURE));
    assertThat(choose(decimer(dropped, 0.98, 0.6, 1), molvec(boronic)).from(),
        equalTo(ChosenFrom.MOLVEC_DECIMER_UNSURE));
    // A reading DECIMER's own checks say cannot be the drawing (here a metal for a group label)
    // is not kept for its atoms.
    assertThat(choose(decimer("[Pb]B(O)C1=CC=C(C=C1)C=O", 0.98, 0.6, 1), molvec(dropped))
        .from(), equalTo(ChosenFrom.MOLVEC_DECIMER_UNSURE));
  }

  @Test
  void aMolVecReadingThatFailsAStructureCheckLosesToADecimerReadingThatDoesNot() {
    String fiveBondedCarbon = "CC(C)(C)(C)(C)C";
    ReaderChoice.Choice c = choose(decimer(CAFFEINE, 0.95, 0.4, 3), molvec(fiveBondedCarbon));
    assertThat(c.from(), equalTo(ChosenFrom.DECIMER_MOLVEC_WARNED));
    assertThat(c.smiles(), equalTo(CAFFEINE));
    assertThat(c.trust(), equalTo(Trust.LOW));
    ReaderChoice.Choice both = choose(decimer("[Pb]c1ccccc1", 0.95, 0.4),
        molvec(fiveBondedCarbon));
    assertThat(both.from(), equalTo(ChosenFrom.MOLVEC_BOTH_WARNED));
    assertThat(both.trust(), equalTo(Trust.LOW));
  }

  @Test
  void withOneStructureBetweenThemThatOneIsTaken() {
    ReaderChoice.Choice onlyMolvec = choose(decimer("C1CC(", 0.99, 0.99), molvec(CAFFEINE));
    assertThat(onlyMolvec.from(), equalTo(ChosenFrom.MOLVEC_DECIMER_UNREADABLE));
    assertThat(onlyMolvec.smiles(), equalTo(CAFFEINE));
    ReaderChoice.Choice onlyDecimer = choose(decimer(CAFFEINE, 0.99, 0.99), Optional.of(
        SecondReading.warning(SecondOpinionWarning.SECOND_OPINION_EMPTY, "none", 0.1)));
    assertThat(onlyDecimer.from(), equalTo(ChosenFrom.DECIMER_MOLVEC_NONE));
    assertThat(onlyDecimer.trust(), equalTo(Trust.LOW));
    ReaderChoice.Choice neither = choose(decimer("C1CC(", 0.99, 0.99), Optional.of(
        SecondReading.warning(SecondOpinionWarning.SECOND_OPINION_EMPTY, "none", 0.1)));
    assertThat(neither.from(), equalTo(ChosenFrom.NONE));
    // A reader that failed says nothing of the drawing: DECIMER's reading stands alone.
    ReaderChoice.Choice failed = choose(decimer(CAFFEINE, 0.99, 0.99), Optional.of(
        SecondReading.warning(SecondOpinionWarning.SECOND_OPINION_TIMEOUT, "slow", 20)));
    assertThat(failed.from(), equalTo(ChosenFrom.DECIMER_ALONE_SURE));
  }

  @Test
  void withoutASecondReaderDecimersReadingIsTrustedByHowSureItIs() {
    assertThat(choose(decimer(CAFFEINE, 0.99, 0.97), Optional.empty()).from(),
        equalTo(ChosenFrom.DECIMER_ALONE_SURE));
    assertThat(choose(decimer(CAFFEINE, 0.99, 0.6), Optional.empty()).from(),
        equalTo(ChosenFrom.DECIMER_ALONE));
    assertThat(choose(decimer(CAFFEINE, 0.9, 0.6), Optional.empty()).from(),
        equalTo(ChosenFrom.DECIMER_ALONE_WARNED));
  }

  @Test
  void everyLabelNamesItsRule() {
    for (ChosenFrom c : ChosenFrom.values()) {
      assertThat(c.label(), ChosenFrom.ofLabel(c.label()), equalTo(Optional.of(c)));
    }
    assertThat(ChosenFrom.ofLabel("no-such-rule"), equalTo(Optional.empty()));
  }

  /**
   * Each rule's estimated precision is what the committed calibration readings give (all three
   * sets), so a changed rule cannot keep a stale figure: re-run bench/real-drawings.sh and copy
   * its "all" column into {@link ChosenFrom}.
   */
  @Test
  void estimatedPrecisionsAreTheCalibrationReadingsOwn() throws Exception {
    List<ReaderChoiceEvaluation.Scored> all = ReaderChoiceEvaluation.read(
        Path.of("bench/recorded/ocsr-calibration-readings.jsonl"));
    assertThat("calibration images", all.size(), equalTo(1734));
    for (ChosenFrom from : ChosenFrom.values()) {
      List<ReaderChoice.Choice> rows = all.stream()
          .flatMap(r -> java.util.stream.Stream.of(r.withMolvec(), r.alone()))
          .filter(c -> c.from() == from).toList();
      long right = all.stream().filter(r -> r.withMolvec().from() == from
          && r.right(r.withMolvec().inchiKey())).count()
          + all.stream().filter(r -> r.alone().from() == from && r.right(r.alone().inchiKey()))
          .count();
      double measured = rows.isEmpty() ? 0 : (double) right / rows.size();
      assertThat(from.label() + " (" + rows.size() + " rows)", from.estimatedPrecision(),
          org.hamcrest.Matchers.closeTo(measured, 0.0015));
    }
  }

  private static long count(List<ReaderChoiceEvaluation.Scored> rows,
      Predicate<ReaderChoiceEvaluation.Scored> p) {
    return rows.stream().filter(p).count();
  }

  @Test
  void onRecordedPatentReadingsTheChoiceBeatsEachReaderAndHighTrustHolds() throws Exception {
    List<ReaderChoiceEvaluation.Scored> all = ReaderChoiceEvaluation.read(RECORDED);
    for (String set : List.of("uspto", "maybridge", "trec")) {
      List<ReaderChoiceEvaluation.Scored> rows =
          all.stream().filter(r -> r.set().equals(set)).toList();
      assertThat(set + " rows recorded", rows.size(), greaterThan(20));
      long chosen = count(rows, ReaderChoiceEvaluation.Scored::chosenRight);
      assertThat(set + ": bestSmiles right at least as often as DECIMER", chosen,
          greaterThanOrEqualTo(count(rows, ReaderChoiceEvaluation.Scored::decimerRight)));
      assertThat(set + ": bestSmiles right at least as often as MolVec", chosen,
          greaterThanOrEqualTo(count(rows, ReaderChoiceEvaluation.Scored::molvecRight)));
      List<ReaderChoiceEvaluation.Scored> high = rows.stream()
          .filter(r -> r.withMolvec().trust() == Trust.HIGH).toList();
      long highRight = count(high, ReaderChoiceEvaluation.Scored::chosenRight);
      assertThat(set + ": high-trust rows right (of " + high.size() + ")",
          (double) highRight / high.size(), greaterThanOrEqualTo(0.97));
    }
  }
}
