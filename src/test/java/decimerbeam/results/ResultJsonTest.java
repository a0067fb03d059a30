package decimerbeam.results;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rows read back from results.jsonl and from staged files keep every field, odd ones included;
 * a thumbnail travels in staged rows, never into results.jsonl.
 */
class ResultJsonTest {

  private static final List<ImageResult> ROWS = List.of(
      new ImageResult("azfs://acct/plates/é/", "ß 1.png", ImageResult.Status.RECOGNIZED,
          "CN1C=NC2=C1C(=O)N(C)C(=O)N2C", "CN1C=NC2=C1C(=O)N(C)C(=O)N2C",
          "RYYVLZVUVIJVGH-UHFFFAOYSA-N", true, 0.9876, 0.5, 17, true, "", "", 1234, "m"),
      new ImageResult("/d/", "lead.png", ImageResult.Status.RECOGNIZED, "C[Pb]", "C[Pb]", "",
          true, 0.9, 0.4, 3, false, "", "", 5, "m",
          List.of("LOW_CONFIDENCE", "UNUSUAL_ELEMENT", "SECOND_OPINION_DIFFERS"), "low",
          "molvec-0.9.8", "Cc1ccccc1", "YXFVVABEGXRONW-UHFFFAOYSA-N", "DIFFERENT",
          "Cc1ccccc1", "molvec/decimer-unsure", 1_764_460_800_123L),
      ImageResult.failed("/d/", "x.png", "TIMEOUT", "took \"long\"\n", -1, ""),
      ImageResult.skipped("/d/", "notes.txt", "not an image file name"));

  @Test
  void rowsRoundTripThroughResultsAndStagedLines() {
    for (ImageResult r : ROWS) {
      // Rows of earlier results are read back from results.jsonl.
      assertThat(ResultJson.fromJson(ResultJson.toJson(r)), equalTo(r));
      ImageResult pictured = r.withThumbnail("data:image/png;base64,iVBORw0KGgo=");
      assertThat(ResultJson.readRows(ResultJson.toStagedLine(pictured)),
          equalTo(List.of(pictured)));
      assertThat(ResultJson.readRows(ResultJson.toLine(pictured)), equalTo(List.of(r)));
    }
  }
}
