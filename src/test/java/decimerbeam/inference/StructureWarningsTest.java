package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each warning on a SMILES crafted to earn it, and none but FRAGMENTS (for its salts) on the true
 * structures of the test images.
 */
class StructureWarningsTest {

  private static List<Warning> sure(String smiles) {
    return StructureWarnings.check(smiles, false, 0.999, 0.99);
  }

  @Test
  void aPlainOrganicStructureHasNoWarning() {
    assertThat(sure("CN1C=NC2=C1C(=O)N(C)C(=O)N2C"), empty());
    assertThat(sure("O=[N+]([O-])c1ccccc1"), empty());
    assertThat(sure("CS(=O)(=O)N"), empty());
  }

  @Test
  void leadReadForPhenylIsAnUnusualElement() {
    assertThat(sure("CC1=CN(C2=CC=C(C=C2)NC)C(=C1)[Pb]"), equalTo(List.of(Warning.UNUSUAL_ELEMENT)));
    assertThat(sure("C[Sn](C)(C)C"), equalTo(List.of(Warning.UNUSUAL_ELEMENT)));
  }

  @Test
  void starsAndRGroupsArePlaceholders() {
    assertThat(sure("*C"), equalTo(List.of(Warning.PLACEHOLDER)));
    assertThat(sure("[R1]CC"), equalTo(List.of(Warning.PLACEHOLDER)));
  }

  @Test
  void disconnectedPartsAreFragments() {
    assertThat(sure("C.C"), equalTo(List.of(Warning.FRAGMENTS)));
    assertThat(sure("[Na+].[O-]C(=O)C"), equalTo(List.of(Warning.FRAGMENTS)));
  }

  @Test
  void unparsableSmilesIsInvalid() {
    assertThat(sure("C1CC"), equalTo(List.of(Warning.INVALID_SMILES)));
    assertThat(sure("c1cccc1"), equalTo(List.of(Warning.INVALID_SMILES)));
    assertThat(sure(""), equalTo(List.of(Warning.INVALID_SMILES)));
  }

  @Test
  void atomsNoChemistryAllowsAreValenceProblems() {
    assertThat(sure("CC(C)(C)(C)C"), equalTo(List.of(Warning.VALENCE)));
    assertThat(sure("CO(C)(C)C"), equalTo(List.of(Warning.VALENCE)));
    assertThat(sure("C[N-](C)(C)C"), equalTo(List.of(Warning.VALENCE)));
  }

  @Test
  void truncationAndLowConfidenceComeFromTheRecognition() {
    assertThat(StructureWarnings.check("CCO", true, 0.999, 0.99),
        equalTo(List.of(Warning.TRUNCATED)));
    double mean = StructureWarnings.MIN_MEAN_CONFIDENCE;
    double min = StructureWarnings.MIN_TOKEN_CONFIDENCE;
    assertThat(StructureWarnings.check("CCO", false, mean, min), empty());
    assertThat(StructureWarnings.check("CCO", false, Math.nextDown(mean), min),
        equalTo(List.of(Warning.LOW_CONFIDENCE)));
    assertThat(StructureWarnings.check("CCO", false, mean, Math.nextDown(min)),
        equalTo(List.of(Warning.LOW_CONFIDENCE)));
  }

  @Test
  void theTrueStructuresOfTheTestImagesEarnOnlyTheWarningsTheyDeserve() throws IOException {
    List<String> flagged = new ArrayList<>();
    int checked = 0;
    for (String set : List.of("generated", "real")) {
      List<String> lines =
          Files.readAllLines(Path.of("src/test/resources/images", set, "truth.csv"));
      for (String line : lines.subList(1, lines.size())) {
        String smiles = line.split(",")[1];
        // The set draws a few salts: FRAGMENTS is right for those and only those.
        List<Warning> expected =
            smiles.contains(".") ? List.of(Warning.FRAGMENTS) : List.of();
        List<Warning> w = sure(smiles);
        checked++;
        if (!w.equals(expected)) {
          flagged.add(smiles + " " + w);
        }
      }
    }
    assertThat(checked, equalTo(117));
    assertThat(flagged, empty());
  }
}
