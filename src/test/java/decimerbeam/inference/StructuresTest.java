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

  @Test
  void aCompositionCountsHeavyAtomsPartsAndChargesNoDrawnSaltHas() {
    Structures.Composition phenol = Structures.composition("OC1=CC=CC=C1").orElseThrow();
    assertThat(phenol, equalTo(new Structures.Composition(7, 1, false, false)));
    // An explicit hydrogen is not a heavy atom.
    assertThat(Structures.composition("[H]OC1=CC=CC=C1").orElseThrow().heavyAtoms(),
        equalTo(7));
    // A salt: charged, two parts, but each ion of one sign and the whole neutral.
    assertThat(Structures.composition("[Na+].[O-]C(=O)C").orElseThrow(),
        equalTo(new Structures.Composition(5, 2, true, false)));
    // An NH read as N-: a net charge.
    assertThat(Structures.composition("C[N-]C1=CC=CC=C1").orElseThrow().strayCharges(),
        equalTo(true));
    // A sulfonyl read as S+ and O- within one molecule.
    assertThat(Structures.composition("C[S+]([O-])C1=CC=CC=C1").orElseThrow().strayCharges(),
        equalTo(true));
    // Nitro groups and N-oxides are written charge-separated by both readers: not charges.
    assertThat(Structures.composition("[O-][N+](=O)C1=CC=CC=C1").orElseThrow(),
        equalTo(new Structures.Composition(9, 1, false, false)));
    assertThat(Structures.composition("[O-][n+]1ccccc1").orElseThrow().charged(),
        equalTo(false));
    assertThat(Structures.composition("C1CC(").isPresent(), equalTo(false));
  }
}
