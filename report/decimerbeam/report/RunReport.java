package decimerbeam.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run's report.html at the output root, from the run summary and the digests the
 * directories' outcomes carry (no row is read again): totals, failures by kind, warnings by
 * code, a confidence histogram, images finished over time, the {@value #WORST} worst rows with
 * links to their directory's review.html, and every directory. Inline CSS and SVG only; it grows
 * with the number of directories (about 300 bytes each), not with the number of images.
 */
public final class RunReport {

  public static final String FILE = "report.html";
  public static final int WORST = 50;
  /** Longer runs are drawn with buckets of several minutes. */
  static final int MAX_TIME_BARS = 240;

  private static final String TEMPLATE = ReviewPage.template("report.html");
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private RunReport() {}

  /**
   * The page for a run whose {@code _run-summary.json} is {@code summary}.
   *
   * @param reviewPages whether finished directories got a review.html to link to
   */
  public static String render(RunSummary summary, List<ReportedDirectory> directories,
      boolean reviewPages) {
    ReviewDigest all = ReviewDigest.empty();
    List<ReviewedInDirectory> worst = new ArrayList<>();
    for (ReportedDirectory d : directories) {
      all = all.plus(d.review(), 0);
      d.review().worst().forEach(r -> worst.add(new ReviewedInDirectory(d, r)));
    }
    worst.sort((a, b) -> ReviewDigest.WORST_FIRST.compare(a.row(), b.row()));
    Map<String, Integer> failures = all.failuresByKind();
    Map<String, Integer> warnings = new TreeMap<>(summary.warningsByCode());
    return Template.fill(TEMPLATE, Map.of(
        "TITLE", Html.text(summary.output()),
        "TOTALS", totals(summary),
        "FAILURES", bars("failures", new TreeMap<>(failures), "no image failed"),
        "WARNINGS", bars("warnings", warnings, "no row carries a warning"),
        "HISTOGRAM", histogram(all.confidenceBins()),
        "THROUGHPUT", throughput(all.finishedPerMinute()),
        "WORST", worstRows(worst.subList(0, Math.min(WORST, worst.size())), reviewPages),
        "DIRECTORIES", directoryRows(directories, reviewPages)));
  }

  private record ReviewedInDirectory(ReportedDirectory directory, ReviewedRow row) {}

  private static String totals(RunSummary s) {
    RunSummary.Directories d = s.directories();
    RunSummary.Images i = s.images();
    StringBuilder out = new StringBuilder("<table class=\"totals\"><tbody>");
    row(out, "started", s.startedAt() + " (UTC)");
    row(out, "finished", s.finishedAt() + " (UTC)");
    row(out, "wall time", s.wallSeconds() + " s");
    row(out, "images per second", String.valueOf(s.imagesPerSecond()));
    row(out, "directories", d.done() + " done, " + d.alreadyDone()
        + " already done by an earlier run, " + d.failed() + " failed, "
        + d.unfinished() + " unfinished (rows kept for a rerun)");
    row(out, "images", i.total() + " this run: " + i.recognized()
        + " recognized, " + i.failed() + " failed; "
        + i.withWarnings() + " with warnings");
    row(out, "other", i.reused() + " rows reused from an interrupted run, "
        + i.skippedFiles() + " files skipped (not images)");
    return out.append("</tbody></table>").toString();
  }

  private static void row(StringBuilder out, String label, String value) {
    out.append("<tr><th>").append(Html.text(label)).append("</th><td>").append(Html.text(value))
        .append("</td></tr>");
  }

  /** Counts as horizontal bars, longest = full width. */
  private static String bars(String id, Map<String, Integer> counts, String none) {
    if (counts.isEmpty()) {
      return "<p class=\"none\" id=\"" + id + "\">" + Html.text(none) + "</p>";
    }
    int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(1);
    StringBuilder out = new StringBuilder("<table class=\"bars\" id=\"" + id + "\"><tbody>");
    counts.forEach((label, n) -> out.append("<tr><th>").append(Html.text(label))
        .append("</th><td><span class=\"bar\" style=\"width:")
        .append(String.format(Locale.ROOT, "%.1f", 80.0 * n / Math.max(1, max)))
        .append("%\"></span> ").append(n).append("</td></tr>"));
    return out.append("</tbody></table>").toString();
  }

  private static String histogram(List<Integer> bins) {
    int total = bins.stream().mapToInt(Integer::intValue).sum();
    if (total == 0) {
      return "<p class=\"none\" id=\"histogram\">no image was recognized in this run</p>";
    }
    List<String> labels = new ArrayList<>();
    for (int b = 0; b < bins.size(); b++) {
      labels.add(String.format(Locale.ROOT, "%.1f", b / (double) ReviewDigest.BINS));
    }
    return barChart("histogram", bins, labels, "recognized images by mean token confidence"
        + " (bins of 0.1, labelled by their lower edge)", total + " recognized images");
  }

  private static String throughput(Map<Long, Integer> perMinute) {
    if (perMinute.isEmpty()) {
      return "<p class=\"none\" id=\"throughput\">no finish times recorded</p>";
    }
    long first = perMinute.keySet().stream().mapToLong(Long::longValue).min().orElse(0);
    long last = perMinute.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    long span = last - first + 1;
    long width = Math.max(1, (span + MAX_TIME_BARS - 1) / MAX_TIME_BARS);
    int bars = (int) ((span + width - 1) / width);
    List<Integer> counts = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (int b = 0; b < bars; b++) {
      counts.add(0);
      labels.add(b % Math.max(1, bars / 6) == 0
          ? CLOCK.format(Instant.ofEpochSecond((first + b * width) * 60)).substring(11) : "");
    }
    perMinute.forEach((m, n) -> {
      int b = (int) ((m - first) / width);
      counts.set(b, counts.get(b) + n);
    });
    return barChart("throughput", counts, labels, "images finished per " + (width == 1
        ? "minute" : width + " minutes") + " (UTC), from "
        + CLOCK.format(Instant.ofEpochSecond(first * 60)), "");
  }

  /** Vertical bars as inline SVG, with the count over each bar when there is room. */
  private static String barChart(String id, List<Integer> values, List<String> labels,
      String caption, String note) {
    int n = values.size();
    int max = Math.max(1, values.stream().mapToInt(Integer::intValue).max().orElse(1));
    double barWidth = Math.max(2, Math.min(48, 720.0 / n));
    double width = barWidth * n + 40;
    int height = 180;
    int top = 16; // room for the count over the highest bar
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<figure><svg id=\"%s\" class=\"chart\" "
        + "xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%d\" role=\"img\" "
        + "aria-label=\"%s\">", id, width, top + height + 30, Html.text(caption)));
    for (int i = 0; i < n; i++) {
      double h = (double) values.get(i) / max * height;
      double x = 20 + i * barWidth;
      svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" "
          + "width=\"%.1f\" height=\"%.1f\" data-count=\"%d\"><title>%s: %d</title></rect>",
          x + 1, top + height - h, Math.max(1, barWidth - 2), h, values.get(i),
          Html.text(labels.get(i)), values.get(i)));
      if (barWidth >= 24 && values.get(i) > 0) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" "
            + "text-anchor=\"middle\" class=\"count\">%d</text>", x + barWidth / 2,
            top - 4 + height - h, values.get(i)));
      }
      if (!labels.get(i).isEmpty()) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"label\">%s"
            + "</text>", x, top + height + 18, Html.text(labels.get(i))));
      }
    }
    svg.append(String.format(Locale.ROOT, "<line x1=\"20\" y1=\"%d\" x2=\"%.0f\" y2=\"%d\" "
        + "class=\"axis\"/></svg>", top + height, width - 20, top + height));
    return svg.append("<figcaption>").append(Html.text(caption))
        .append(note.isEmpty() ? "" : "; " + Html.text(note))
        .append("</figcaption></figure>").toString();
  }

  private static String reviewLink(ReportedDirectory d, String image) {
    String page = (d.path().isEmpty() ? "" : Html.href(d.path())) + ReviewPage.FILE;
    return image.isEmpty() ? page : page + "#image=" + Html.href(image);
  }

  private static String worstRows(List<ReviewedInDirectory> worst, boolean reviewPages) {
    if (worst.isEmpty()) {
      return "<p class=\"none\" id=\"worst\">no recognized rows in this run</p>";
    }
    StringBuilder out = new StringBuilder("<table id=\"worst\" class=\"rows\"><thead><tr>"
        + "<th>directory</th><th>image</th><th>SMILES</th><th>mean confidence</th>"
        + "<th>trust</th><th>warnings</th></tr></thead><tbody>");
    for (ReviewedInDirectory w : worst) {
      ReviewedRow r = w.row();
      out.append("<tr><td>").append(Html.text(w.directory().directory())).append("</td><td>");
      if (reviewPages) {
        out.append("<a class=\"review-link\" href=\"")
            .append(Html.text(reviewLink(w.directory(), r.image()))).append("\">")
            .append(Html.text(r.image())).append("</a>");
      } else {
        out.append(Html.text(r.image()));
      }
      out.append("</td><td class=\"smiles\">").append(Html.text(r.smiles()))
          .append("</td><td>").append(String.format(Locale.ROOT, "%.3f", r.meanConfidence()))
          .append("</td><td class=\"trust-").append(Html.text(r.trust())).append("\">")
          .append(Html.text(r.trust())).append("</td><td>")
          .append(Html.text(String.join(", ", r.warnings()))).append("</td></tr>");
    }
    return out.append("</tbody></table>").toString();
  }

  private static String directoryRows(List<ReportedDirectory> dirs, boolean reviewPages) {
    if (dirs.isEmpty()) {
      return "<p class=\"none\" id=\"directories\">no directories</p>";
    }
    StringBuilder out = new StringBuilder("<table id=\"directories\" class=\"rows\"><thead><tr>"
        + "<th>directory</th><th>state</th><th>images</th><th>recognized</th><th>failed</th>"
        + "<th>with warnings</th><th>review</th></tr></thead><tbody>");
    for (ReportedDirectory d : dirs) {
      out.append("<tr class=\"state-").append(Html.text(d.state())).append("\"><td>")
          .append(Html.text(d.directory())).append("</td><td>").append(Html.text(d.state()))
          .append(d.message().isEmpty() ? "" : ": " + Html.text(d.message()))
          .append("</td><td>").append(d.images()).append("</td><td>").append(d.recognized())
          .append("</td><td>").append(d.failed()).append("</td><td>").append(d.withWarnings())
          .append("</td><td>");
      if (reviewPages && d.state().equals("DONE")) {
        out.append("<a class=\"review-link\" href=\"").append(Html.text(reviewLink(d, "")))
            .append("\">review.html</a>");
      }
      out.append("</td></tr>");
    }
    return out.append("</tbody></table>").toString();
  }
}
