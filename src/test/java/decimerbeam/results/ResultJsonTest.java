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

  @Test
  void rowsRoundTripThroughResultsAndStagedLines() {
    for (ImageResult r : OddRows.ROWS) {
      // Rows of earlier results are read back from results.jsonl.
      assertThat(ResultJson.fromJson(ResultJson.toJson(r)), equalTo(r));
      ImageResult pictured = r.withThumbnail("data:image/png;base64,iVBORw0KGgo=");
      assertThat(ResultJson.readRows(ResultJson.toStagedLine(pictured)),
          equalTo(List.of(pictured)));
      assertThat(ResultJson.readRows(ResultJson.toLine(pictured)), equalTo(List.of(r)));
    }
  }
}
