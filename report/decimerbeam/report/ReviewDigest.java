package decimerbeam.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What report.html needs from one directory's rows, small enough to travel with its outcome
 * instead of every row being read again at the end: a confidence histogram, failures by kind,
 * rows finished per minute and the directory's {@value #WORST} worst rows.
 *
 * @param confidenceBins recognised rows by mean confidence, {@value #BINS} bins of 0.1 from 0
 * @param failuresByKind failed rows by error kind
 * @param finishedPerMinute rows by the minute (epoch minutes) they were recognised in; rows
 *     without a time are not counted
 * @param worst recognised rows most in need of a look, worst first ({@link #WORST_FIRST})
 */
public record ReviewDigest(List<Integer> confidenceBins, Map<String, Integer> failuresByKind,
    Map<Long, Integer> finishedPerMinute, List<ReviewedRow> worst) {

  public static final int BINS = 10;
  public static final int WORST = 10;

  /** Low trust first, then more warnings, then lower mean confidence, then by name. */
  public static final Comparator<ReviewedRow> WORST_FIRST =
      Comparator.comparingInt((ReviewedRow r) -> trustRank(r.trust()))
          .thenComparing(r -> -r.warnings().size())
          .thenComparingDouble(ReviewedRow::meanConfidence)
          .thenComparing(ReviewedRow::image);

  public ReviewDigest {
    if (confidenceBins.size() != BINS) {
      throw new IllegalArgumentException("expected " + BINS + " confidence bins, got "
          + confidenceBins.size());
    }
    confidenceBins = List.copyOf(confidenceBins);
    failuresByKind = Map.copyOf(failuresByKind);
    finishedPerMinute = Map.copyOf(finishedPerMinute);
    worst = List.copyOf(worst);
  }

  public static ReviewDigest empty() {
    return new ReviewDigest(zeros(), Map.of(), Map.of(), List.of());
  }

  private static List<Integer> zeros() {
    List<Integer> bins = new ArrayList<>();
    for (int i = 0; i < BINS; i++) {
      bins.add(0);
    }
    return bins;
  }

  /** The bin of a mean confidence: [0, 0.1) is 0, ..., [0.9, 1] is 9. */
  public static int bin(double confidence) {
    return Math.max(0, Math.min(BINS - 1, (int) Math.floor(confidence * BINS)));
  }

  private static int trustRank(String trust) {
    return switch (trust) {
      case "low" -> 0;
      case "medium" -> 1;
      case "high" -> 3;
      default -> 2; // rows made before trust levels existed
    };
  }

  /** The sum of digests: histograms and counts added, the worst rows of all kept. */
  public ReviewDigest plus(ReviewDigest other, int keepWorst) {
    List<Integer> bins = new ArrayList<>(confidenceBins);
    for (int i = 0; i < BINS; i++) {
      bins.set(i, bins.get(i) + other.confidenceBins.get(i));
    }
    Map<String, Integer> kinds = new TreeMap<>(failuresByKind);
    other.failuresByKind.forEach((k, n) -> kinds.merge(k, n, Integer::sum));
    Map<Long, Integer> minutes = new TreeMap<>(finishedPerMinute);
    other.finishedPerMinute.forEach((m, n) -> minutes.merge(m, n, Integer::sum));
    List<ReviewedRow> rows = new ArrayList<>(worst);
    rows.addAll(other.worst);
    rows.sort(WORST_FIRST);
    return new ReviewDigest(bins, kinds, minutes,
        rows.subList(0, Math.min(keepWorst, rows.size())));
  }

  /** Adds up rows one at a time (a directory's rows of this run). */
  public static final class Builder {
    private final List<Integer> bins = zeros();
    private final Map<String, Integer> kinds = new TreeMap<>();
    private final Map<Long, Integer> minutes = new TreeMap<>();
    private final List<ReviewedRow> rows = new ArrayList<>();

    /** A failed row. */
    public Builder failed(String kind, long finishedAtMillis) {
      kinds.merge(kind, 1, Integer::sum);
      minute(finishedAtMillis);
      return this;
    }

    /** A recognised row. */
    public Builder recognized(ReviewedRow row, long finishedAtMillis) {
      bins.set(bin(row.meanConfidence()), bins.get(bin(row.meanConfidence())) + 1);
      minute(finishedAtMillis);
      rows.add(row);
      // Keeps the list short for directories of many thousand rows.
      if (rows.size() > 4 * WORST) {
        trim();
      }
      return this;
    }

    private void minute(long finishedAtMillis) {
      if (finishedAtMillis > 0) {
        minutes.merge(finishedAtMillis / 60_000, 1, Integer::sum);
      }
    }

    private void trim() {
      rows.sort(WORST_FIRST);
      rows.subList(Math.min(WORST, rows.size()), rows.size()).clear();
    }

    public ReviewDigest build() {
      trim();
      return new ReviewDigest(bins, kinds, minutes, rows);
    }
  }
}
