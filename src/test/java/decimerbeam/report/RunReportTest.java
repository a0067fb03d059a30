package decimerbeam.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RunReportTest {

  private static final RunSummary SUMMARY = new RunSummary("azfs://acct/out/", "", "", 0, true,
      null, null, Map.of("UNUSUAL_ELEMENT", 1), 0, null, null);

  private static ReviewDigest digest(ReviewedRow worst, long minute, int rows) {
    ReviewDigest.Builder b = new ReviewDigest.Builder();
    for (int i = 0; i < rows; i++) {
      b.recognized(new ReviewedRow("ok" + i + ".png", "C", 0.99, "high", List.of()),
          (minute + i) * 60_000);
    }
    return b.recognized(worst, minute * 60_000).build();
  }

  @Test
  void worstRowsOfAllDirectoriesLinkToTheirRowsOnTheirReviewPages() {
    ReviewedRow lead = new ReviewedRow("a b.png", "c1ccccc1[Pb]", 0.99, "low",
        List.of("UNUSUAL_ELEMENT"));
    ReviewedRow unsure = new ReviewedRow("<x>.png", "CCO", 0.6, "medium",
        List.of("LOW_CONFIDENCE"));
    String html = RunReport.render(SUMMARY, List.of(
        new ReportedDirectory("azfs://acct/in/one/", "in/one/", "DONE", 3, 3, 0, 1, "",
            digest(unsure, 100, 2)),
        new ReportedDirectory("azfs://acct/in/é dir/", "in/é dir/", "DONE", 3, 3, 0, 1, "",
            digest(lead, 100, 2)),
        new ReportedDirectory("azfs://acct/in/gone/", "in/gone/", "FAILED", 0, 0, 0, 0,
            "listing failed: 503", ReviewDigest.empty())), true);
    String leadLink = "href=\"in/%C3%A9%20dir/review.html#image=a%20b.png\"";
    String unsureLink = "href=\"in/one/review.html#image=%3Cx%3E.png\"";
    assertThat(html, allOf(containsString(leadLink), containsString(unsureLink)));
    assertThat(html.indexOf(leadLink), lessThan(html.indexOf(unsureLink)));
    assertThat(html, not(containsString("<x>")));
    assertThat(html, containsString("listing failed: 503"));
    assertThat(html, not(containsString("href=\"in/gone/review.html\"")));
    assertThat(counts(html, "histogram").values().stream().mapToInt(Integer::intValue).sum(),
        equalTo(6));
    assertThat(counts(html, "throughput").values().stream().mapToInt(Integer::intValue).sum(),
        equalTo(6));
  }

  @Test
  void aLongRunIsDrawnWithWiderTimeBuckets() {
    ReviewDigest.Builder b = new ReviewDigest.Builder();
    for (long minute = 0; minute < 24 * 60; minute++) {
      b.recognized(new ReviewedRow(minute + ".png", "C", 0.9, "high", List.of()),
          minute * 60_000 + 1);
    }
    String html = RunReport.render(SUMMARY, List.of(new ReportedDirectory("/in/", "", "DONE",
        1440, 1440, 0, 0, "", b.build())), false);
    Map<Integer, Integer> bars = counts(html, "throughput");
    assertThat(bars.size(), lessThanOrEqualTo(RunReport.MAX_TIME_BARS));
    assertThat(bars.values().stream().mapToInt(Integer::intValue).sum(), equalTo(1440));
    assertThat(html, containsString("images finished per 6 minutes"));
    assertThat(html, not(containsString("class=\"review-link\"")));
  }

  /** The data-count of each bar of one chart, by position. */
  private static Map<Integer, Integer> counts(String html, String chart) {
    int start = html.indexOf("<svg id=\"" + chart + "\"");
    String svg = html.substring(start, html.indexOf("</svg>", start));
    Matcher m = Pattern.compile("data-count=\"(\\d+)\"").matcher(svg);
    Map<Integer, Integer> bars = new TreeMap<>();
    while (m.find()) {
      bars.put(bars.size(), Integer.parseInt(m.group(1)));
    }
    return bars;
  }
}
