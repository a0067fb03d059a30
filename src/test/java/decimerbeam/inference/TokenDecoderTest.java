package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenDecoderTest {

  private final TokenDecoder decoder = new TokenDecoder(Map.ofEntries(
      Map.entry(0, "<pad>"), Map.entry(1, "<unk>"), Map.entry(2, "C"), Map.entry(3, "="),
      Map.entry(4, "O"), Map.entry(5, "<start>"), Map.entry(6, "<end>"), Map.entry(7, "R"),
      Map.entry(8, "!"), Map.entry(9, "Cl"), Map.entry(10, "§")));

  @Test
  void dropsStartAndEndAndJoins() throws Exception {
    assertThat(decoder.smiles(new int[] {5, 2, 3, 4, 9, 6}), equalTo("C=OCl"));
  }

  @Test
  void mapsPlaceholderCharactersToLabelDigits() throws Exception {
    assertThat(decoder.smiles(new int[] {5, 7, 8, 7, 10, 6}), equalTo("R1R0"));
  }

  @Test
  void padAndUnknownComeOutAsPythonDoes() throws Exception {
    // <start>/<end> are removed before '<' and '>' become 4 and 5.
    assertThat(decoder.smiles(new int[] {5, 0, 1, 6}), equalTo("4pad54unk5"));
  }

  @Test
  void unknownIdIsAnError() {
    var e = assertThrows(TokenDecoder.UnknownTokenException.class,
        () -> decoder.smiles(new int[] {5, 99, 6}));
    assertThat(e.getMessage(), containsString("99"));
  }

  @Test
  void truncatedWhenNoEndToken() {
    assertThat("truncated without <end>", decoder.truncated(new int[] {5, 2, 2, 2}),
        equalTo(true));
    assertThat("truncated with <end>", decoder.truncated(new int[] {5, 2, 6}), equalTo(false));
  }
}
