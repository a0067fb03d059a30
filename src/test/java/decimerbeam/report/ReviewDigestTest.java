package decimerbeam.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReviewDigestTest {

  private static ReviewedRow row(String image, double confidence, String trust,
      String... warnings) {
    return new ReviewedRow(image, "C", confidence, trust, List.of(warnings));
  }

  @Test
  void keepsTheWorstRowsBinsConfidenceAndCountsByMinute() {
    ReviewDigest.Builder b = new ReviewDigest.Builder();
    for (int i = 0; i < 100; i++) {
      b.recognized(row(String.format("%03d.png", i), 0.5 + i / 200.0, "high"), 60_000L * 3);
    }
    b.recognized(row("lead.png", 0.99, "low", "UNUSUAL_ELEMENT"), 60_000L * 4);
    b.recognized(row("unsure.png", 0.7, "medium", "LOW_CONFIDENCE"), 60_000L * 4);
    b.failed("TIMEOUT", 60_000L * 4 + 5);
    b.failed("TIMEOUT", 0);
    ReviewDigest d = b.build();
    assertThat(d.worst().size(), equalTo(ReviewDigest.WORST));
    assertThat(d.worst().get(0).image(), equalTo("lead.png"));
    assertThat(d.worst().get(1).image(), equalTo("unsure.png"));
    assertThat(d.worst().get(2).image(), equalTo("000.png"));
    assertThat(d.worst().get(9).image(), equalTo("007.png"));
    assertThat(d.confidenceBins(), equalTo(List.of(0, 0, 0, 0, 0, 20, 20, 21, 20, 21)));
    assertThat(d.failuresByKind(), equalTo(Map.of("TIMEOUT", 2)));
    assertThat(d.finishedPerMinute(), equalTo(Map.of(3L, 100, 4L, 3)));
  }

  @Test
  void digestsAddUpAndSurviveSummaryJson() {
    ReviewDigest a = new ReviewDigest.Builder().recognized(row("a.png", 0.95, "high"), 60_000)
        .failed("UNREADABLE", 60_000).build();
    ReviewDigest b = new ReviewDigest.Builder().recognized(row("b.png", 0.3, "low"), 120_000)
        .build();
    ReviewDigest sum = a.plus(b, 1);
    assertThat(sum.worst(), equalTo(List.of(row("b.png", 0.3, "low"))));
    assertThat(sum.confidenceBins().stream().mapToInt(Integer::intValue).sum(), equalTo(2));
    assertThat(sum.finishedPerMinute(), equalTo(Map.of(1L, 2, 2L, 1)));
    ObjectNode json = new ObjectMapper().createObjectNode();
    ReviewDigestJson.write(sum, json);
    assertThat(ReviewDigestJson.read(json), equalTo(sum));
    assertThat(ReviewDigestJson.read(new ObjectMapper().createObjectNode()),
        equalTo(ReviewDigest.empty()));
  }
}
