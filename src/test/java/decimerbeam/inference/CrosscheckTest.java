package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a second reading adds to a row: agreement, warnings, and the choice between the two. */
class CrosscheckTest {

  private static final String CAFFEINE = "CN1C=NC2=C1C(=O)N(C(=O)N2C)C";
  private static final String BENZENE = "c1ccccc1";

  private static String key(String smiles) {
    return Structures.identify(smiles).map(Structures.Identity::inchiKey).orElse("");
  }

  private static SecondReading read(String smiles) {
    return SecondReading.of(smiles, key(smiles), 0.1);
  }

  private static Crosscheck check(String decimer, List<Warning> decimerWarnings,
      SecondReading second) {
    return Crosscheck.of("molvec-test", new DecimerReading(decimer, key(decimer),
        decimerWarnings, 0.99, 0), second);
  }

  @Test
  void readersThatAgreeAddNothingAndAreAConsensus() {
    Crosscheck c = check(CAFFEINE, List.of(), read("O=C1N(C)C(=O)N(C)c2ncn(C)c12"));
    assertThat(c.agreement(), equalTo(Optional.of(Agreement.SAME)));
    assertThat(c.warnings(), empty());
    assertThat(c.bestSmiles(), equalTo(CAFFEINE));
    assertThat(c.choice().from(), equalTo(ChosenFrom.CONSENSUS));
    assertThat(c.trust(), equalTo(Trust.HIGH));
  }

  @Test
  void aDisagreementIsAWarning() {
    Crosscheck c = check(CAFFEINE, List.of(), read(BENZENE));
    assertThat(c.agreement(), equalTo(Optional.of(Agreement.DIFFERENT)));
    assertThat(c.warnings(), contains(Warning.SECOND_OPINION_DIFFERS));
    assertThat(c.allWarnings(List.of(Warning.LOW_CONFIDENCE)),
        contains(Warning.LOW_CONFIDENCE, Warning.SECOND_OPINION_DIFFERS));
  }

  @Test
  void otherStereoIsItsOwnWarning() {
    Crosscheck c = check("C[C@H](N)C(=O)O", List.of(), read("C[C@@H](N)C(=O)O"));
    assertThat(c.agreement(), equalTo(Optional.of(Agreement.SAME_WITHOUT_STEREO)));
    assertThat(c.warnings(), contains(Warning.SECOND_OPINION_STEREO_DIFFERS));
  }

  @Test
  void aSecondReaderWithoutAnAnswerIsAWarningAndLeavesDecimersAnswer() {
    for (SecondOpinionWarning w : SecondOpinionWarning.values()) {
      Crosscheck c = check(CAFFEINE, List.of(), SecondReading.warning(w, "why", 0.1));
      assertThat(c.warnings(), contains(Warning.valueOf(w.name())));
      assertThat(c.agreement(), equalTo(Optional.of(Agreement.UNKNOWN)));
      assertThat(c.bestSmiles(), equalTo(CAFFEINE));
      assertThat(c.choice().from(), equalTo(w == SecondOpinionWarning.SECOND_OPINION_EMPTY
          ? ChosenFrom.DECIMER_MOLVEC_NONE : ChosenFrom.DECIMER_ALONE_SURE));
    }
  }

  @Test
  void withoutASecondReaderTheRowIsDecimersAlone() {
    Crosscheck c = Crosscheck.none(new DecimerReading(CAFFEINE, key(CAFFEINE), List.of(), 0.7,
        1));
    assertThat(c.agreement(), equalTo(Optional.empty()));
    assertThat(c.reader(), equalTo(""));
    assertThat(c.bestSmiles(), equalTo(CAFFEINE));
    assertThat(c.choice().from(), equalTo(ChosenFrom.DECIMER_ALONE));
  }
}
