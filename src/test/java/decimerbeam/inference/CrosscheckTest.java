package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a second reading adds to a row: agreement, warnings, trust and the preferred SMILES. */
class CrosscheckTest {

  private static final String CAFFEINE = "CN1C=NC2=C1C(=O)N(C(=O)N2C)C";
  private static final String BENZENE = "c1ccccc1";
  private static final String PB_FOR_PH = "[Pb]C1=CC=CC=C1"; // DECIMER's "Ph" misreading
  private static final String TOLUENE = "Cc1ccccc1";

  private static String key(String smiles) {
    return Structures.identify(smiles).map(Structures.Identity::inchiKey).orElse("");
  }

  private static SecondReading read(String smiles) {
    return SecondReading.of(smiles, key(smiles), 0.1);
  }

  private static Crosscheck check(String decimer, List<Warning> decimerWarnings,
      SecondReading second) {
    return Crosscheck.of("molvec-test", decimer, key(decimer), decimerWarnings, second);
  }

  @Test
  void readersThatAgreeAddNothingAndKeepDecimersAnswer() {
    Crosscheck c = check(CAFFEINE, List.of(), read("O=C1N(C)C(=O)N(C)c2ncn(C)c12"));
    assertThat(c.agreement(), equalTo(Optional.of(Agreement.SAME)));
    assertThat(c.warnings(), empty());
    assertThat(c.bestSmiles(), equalTo(CAFFEINE));
    assertThat(c.trust(List.of()), equalTo(Trust.HIGH));
  }

  @Test
  void aDisagreementIsAWarningThatLowersTrustToMedium() {
    Crosscheck c = check(CAFFEINE, List.of(), read(BENZENE));
    assertThat(c.agreement(), equalTo(Optional.of(Agreement.DIFFERENT)));
    assertThat(c.warnings(), contains(Warning.SECOND_OPINION_DIFFERS));
    assertThat(c.trust(List.of()), equalTo(Trust.MEDIUM));
    assertThat(c.bestSmiles(), equalTo(CAFFEINE));
  }

  @Test
  void otherStereoIsItsOwnWarning() {
    Crosscheck c = check("C[C@H](N)C(=O)O", List.of(), read("C[C@@H](N)C(=O)O"));
    assertThat(c.agreement(), equalTo(Optional.of(Agreement.SAME_WITHOUT_STEREO)));
    assertThat(c.warnings(), contains(Warning.SECOND_OPINION_STEREO_DIFFERS));
    assertThat(c.trust(List.of()), equalTo(Trust.MEDIUM));
  }

  @Test
  void agreementOutweighsLowConfidenceButNothingElse() {
    Crosscheck same = check(CAFFEINE, List.of(Warning.LOW_CONFIDENCE), read(CAFFEINE));
    assertThat(same.trust(List.of(Warning.LOW_CONFIDENCE)), equalTo(Trust.HIGH));
    assertThat(same.allWarnings(List.of(Warning.LOW_CONFIDENCE)),
        contains(Warning.LOW_CONFIDENCE));
    List<Warning> fragments = List.of(Warning.LOW_CONFIDENCE, Warning.FRAGMENTS);
    assertThat(check("CC.O", fragments, read("CC.O")).trust(fragments),
        equalTo(Trust.MEDIUM));
    Crosscheck differs = check(CAFFEINE, List.of(Warning.LOW_CONFIDENCE), read(BENZENE));
    assertThat(differs.trust(List.of(Warning.LOW_CONFIDENCE)), equalTo(Trust.MEDIUM));
  }

  @Test
  void anUnusualElementGivesWayToASecondReadingWithoutOne() {
    List<Warning> unusual = StructureWarnings.check(PB_FOR_PH, false, 1, 1);
    assertThat(unusual, contains(Warning.UNUSUAL_ELEMENT));
    assertThat(check(PB_FOR_PH, unusual, read(TOLUENE)).bestSmiles(), equalTo(TOLUENE));
    // Both readers with a metal: DECIMER stays.
    assertThat(check(PB_FOR_PH, unusual, read("[Sn]c1ccccc1")).bestSmiles(),
        equalTo(PB_FOR_PH));
  }

  @Test
  void anInvalidDecimerSmilesGivesWayToAnyStructure() {
    String broken = "C1CC(";
    Crosscheck c = check(broken, List.of(Warning.INVALID_SMILES), read(BENZENE));
    assertThat(c.agreement(), equalTo(Optional.of(Agreement.UNKNOWN)));
    assertThat(c.bestSmiles(), equalTo(BENZENE));
    assertThat(c.trust(List.of(Warning.INVALID_SMILES)), equalTo(Trust.LOW));
  }

  @Test
  void aSecondReaderWithoutAnAnswerIsAWarningThatLeavesTrustAlone() {
    for (SecondOpinionWarning w : SecondOpinionWarning.values()) {
      Crosscheck c = check(CAFFEINE, List.of(), SecondReading.warning(w, "why", 0.1));
      assertThat(c.warnings(), contains(Warning.valueOf(w.name())));
      assertThat(c.agreement(), equalTo(Optional.of(Agreement.UNKNOWN)));
      assertThat(c.trust(List.of()), equalTo(Trust.HIGH));
      assertThat(c.bestSmiles(), equalTo(CAFFEINE));
    }
  }

  @Test
  void withoutASecondReaderTheRowIsDecimersAlone() {
    Crosscheck c = Crosscheck.none(CAFFEINE);
    assertThat(c.agreement(), equalTo(Optional.empty()));
    assertThat(c.reader(), equalTo(""));
    assertThat(c.bestSmiles(), equalTo(CAFFEINE));
  }
}
