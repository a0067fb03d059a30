package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** CDK's view of a SMILES, and the start-up check that InChIKeys can be computed at all. */
class StructuresTest {

  @Test
  void caffeineParsesWithItsStandardInchiKey() {
    Structures.Identity id = Structures.identify("CN1C=NC2=C1C(=O)N(C)C(=O)N2C").orElseThrow();
    assertThat(id.inchiKey(), equalTo("RYYVLZVUVIJVGH-UHFFFAOYSA-N"));
    assertThat("an unclosed ring has no identity", Structures.identify("C1CC").isPresent(),
        equalTo(false));
  }

  @Test
  void theNativeInchiLibraryWorksHere() {
    assertDoesNotThrow(() -> Structures.requireInchi(),
        "the native InChI library does not work here");
    assertThat(Structures.identify("C").orElseThrow().inchiKey(),
        equalTo(Structures.METHANE_KEY));
  }

  @Test
  void aMissingInchiLibraryIsAnErrorThatSaysSo() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Structures.requireInchi(smiles -> ""));
    assertThat(e.getMessage(), containsString("native InChI library"));
    assertThat(e.getMessage(), containsString("InChIKeys cannot be computed"));
  }
}
