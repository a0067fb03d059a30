package decimerbeam.pipeline;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.joda.time.Duration;

/**
 * Waits for a pipeline and prints a progress line every few seconds from its live "decimer"
 * metrics: images done / failed / listed, img/s, ETA. Runners without live metrics print none.
 */
final class ProgressReporter {

  private final PipelineResult result;
  private final int intervalSeconds;
  private final long startMillis;

  ProgressReporter(PipelineResult result, int intervalSeconds, long startMillis) {
    this.result = result;
    this.intervalSeconds = intervalSeconds;
    this.startMillis = startMillis;
  }

  PipelineResult.State awaitCompletion() {
    if (intervalSeconds <= 0) {
      return result.waitUntilFinish();
    }
    while (true) {
      PipelineResult.State state = result.waitUntilFinish(Duration.standardSeconds(intervalSeconds));
      if (state != null && state.isTerminal()) {
        print(true);
        return state;
      }
      print(false);
    }
  }

  private void print(boolean last) {
    Map<String, Long> c;
    try {
      c = counters(result.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.inNamespace("decimer")).build()));
    } catch (RuntimeException e) {
      return;
    }
    long listed = c.getOrDefault("images_listed", 0L);
    long ok = c.getOrDefault("images_recognized", 0L);
    long failed = c.getOrDefault("images_failed", 0L);
    long resumed = c.getOrDefault("images_resumed", 0L);
    long finished = c.getOrDefault("directories_finished", 0L);
    long done = ok + failed;
    double secs = Math.max(0.001, (System.currentTimeMillis() - startMillis) / 1000.0);
    double rate = done / secs;
    String eta = rate > 0 && listed > done
        ? String.format(Locale.ROOT, "%.0f s", (listed - done) / rate) : "-";
    System.err.printf(Locale.ROOT, "[progress] %d / %d images (%d failed, %d resumed from an "
        + "interrupted run), %d directories finished, %.2f img/s, %s%s%n", done, listed, failed,
        resumed, finished, rate, last ? "finished in " + Math.round(secs) + " s" : "ETA ",
        last ? "" : eta);
  }

  private static Map<String, Long> counters(MetricQueryResults q) {
    Map<String, Long> out = new HashMap<>();
    for (MetricResult<Long> r : q.getCounters()) {
      Long v;
      try {
        v = r.getCommitted();
      } catch (UnsupportedOperationException e) {
        v = r.getAttempted();
      }
      if (v == null) {
        v = r.getAttempted();
      }
      out.merge(r.getName().getName(), v == null ? 0L : v, Long::sum);
    }
    return out;
  }
}
