package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The trust rule: high without warnings, else the lowest level a warning allows. */
class TrustTest {

  @Test
  void noWarningIsHighTrust() {
    assertThat(Trust.of(List.of()), equalTo(Trust.HIGH));
    assertThat(Trust.HIGH.label(), equalTo("high"));
  }

  @Test
  void doubtsMakeItMediumAndImpossibilitiesLow() {
    assertThat(Trust.of(List.of(Warning.LOW_CONFIDENCE)), equalTo(Trust.MEDIUM));
    assertThat(Trust.of(List.of(Warning.FRAGMENTS, Warning.PLACEHOLDER)), equalTo(Trust.MEDIUM));
    assertThat(Trust.of(List.of(Warning.LOW_CONFIDENCE, Warning.UNUSUAL_ELEMENT)),
        equalTo(Trust.LOW));
    for (Warning w : List.of(Warning.INVALID_SMILES, Warning.TRUNCATED, Warning.VALENCE)) {
      assertThat(w.name(), Trust.of(List.of(w)), equalTo(Trust.LOW));
    }
  }
}
