package decimerbeam.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.sameInstance;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StructureDepictionTest {

  private final StructureDepiction depictions = new StructureDepiction();

  @Test
  void aValidSmilesIsDrawnAsAnSvgDataUri() {
    String uri = depictions.of("CN1C=NC2=C1C(=O)N(C(=O)N2C)C").orElseThrow();
    assertThat(uri, startsWith("data:image/svg+xml;base64,"));
    String svg = new String(Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1)),
        StandardCharsets.UTF_8);
    assertThat(svg, containsString("<svg"));
    assertThat(svg, containsString("width="));
  }

  @Test
  void whatCannotBeDrawnGivesNone() {
    assertThat(depictions.of("C1CC"), equalTo(Optional.empty()));
    assertThat(depictions.of("not a smiles"), equalTo(Optional.empty()));
    assertThat(depictions.of(""), equalTo(Optional.empty()));
    assertThat(depictions.of("C".repeat(StructureDepiction.MAX_ATOMS + 1)),
        equalTo(Optional.empty()));
  }

  @Test
  void aRepeatedStructureIsDrawnOnce() {
    assertThat(depictions.of("c1ccccc1O").get(), sameInstance(depictions.of("c1ccccc1O").get()));
  }
}
