package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

/** Agreement between DECIMER's SMILES and a second reading, by InChIKey and by its first block. */
class AgreementTest {

  private static final String L_ALANINE = "C[C@@H](C(=O)O)N";

  private static SecondReading readingOf(String smiles) {
    Structures.Identity id = Structures.identify(smiles).orElseThrow();
    return SecondReading.of(id.canonicalSmiles(), id.inchiKey(), 0);
  }

  @Test
  void theSameStructureSpelledDifferentlyAgrees() {
    Agreement a = readingOf("N[C@@H](C)C(=O)O").agreementWithSmiles(L_ALANINE);
    assertThat(a, equalTo(Agreement.SAME));
    assertThat("SAME is the same structure", a.sameStructure(), equalTo(true));
    assertThat("SAME is the same without stereo", a.sameWithoutStereo(), equalTo(true));
  }

  @Test
  void theMirrorImageAgreesOnlyWithoutStereo() {
    Agreement a = readingOf("C[C@H](C(=O)O)N").agreementWithSmiles(L_ALANINE);
    assertThat(a, equalTo(Agreement.SAME_WITHOUT_STEREO));
    assertThat("SAME_WITHOUT_STEREO is not the same structure", a.sameStructure(),
        equalTo(false));
    assertThat("SAME_WITHOUT_STEREO is the same without stereo", a.sameWithoutStereo(),
        equalTo(true));
    // A drawing without wedges against one with them: the same skeleton, too.
    assertThat(readingOf("CC(C(=O)O)N").agreementWithSmiles(L_ALANINE),
        equalTo(Agreement.SAME_WITHOUT_STEREO));
  }

  @Test
  void anotherSkeletonDisagrees() {
    Agreement a = readingOf("NCCC(=O)O").agreementWithSmiles(L_ALANINE); // beta-alanine
    assertThat(a, equalTo(Agreement.DIFFERENT));
    assertThat("DIFFERENT is not the same without stereo", a.sameWithoutStereo(),
        equalTo(false));
  }

  @Test
  void withoutAStructureOnEitherSideThereIsNothingToCompare() {
    SecondReading none = SecondReading.warning(SecondOpinionWarning.SECOND_OPINION_EMPTY, "", 0);
    assertThat(none.agreementWithSmiles(L_ALANINE), equalTo(Agreement.UNKNOWN));
    assertThat(readingOf(L_ALANINE).agreementWithSmiles("C1CC"), equalTo(Agreement.UNKNOWN));
    assertThat(readingOf(L_ALANINE).agreementWith(""), equalTo(Agreement.UNKNOWN));
  }
}
