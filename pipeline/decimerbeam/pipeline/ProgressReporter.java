package decimerbeam.pipeline;

import decimerbeam.worker.ModelPreparation;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.joda.time.Duration;

/**
 * Waits for a pipeline and prints a progress line every few seconds from its live "decimer"
 * metrics: what the workers are doing before the first image (preparing or loading the model,
 * listing; the model's preparation also from {@link ModelPreparation} where the workers share
 * this JVM), then images done / failed / listed, img/s since the first recognition, ETA.
 * Runners without live metrics print none.
 */
final class ProgressReporter {

  /**
   * The live counts one line is made from.
   *
   * @param preparingHere a worker in this JVM is creating its recognizer now, which the
   *     DirectRunner's metrics show only once the worker's bundle ends
   */
  record Snapshot(long listed, long recognized, long failed, long resumed, long finished,
      long modelLoadsStarted, long modelsLoaded, long firstRecognitionMillis,
      boolean preparingHere) {

    long done() {
      return recognized + failed;
    }
  }

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
    Snapshot s;
    try {
      s = snapshot(result.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.inNamespace("decimer")).build()));
    } catch (RuntimeException e) {
      return;
    }
    System.err.println(line(s, startMillis, System.currentTimeMillis(), last));
  }

  /**
   * One progress line. Before any image is done it says what holds the run up; the rate counts
   * from the first recognition's start, so minutes of model preparation do not dilute it.
   */
  static String line(Snapshot s, long startMillis, long nowMillis, boolean last) {
    long secs = Math.round((nowMillis - startMillis) / 1000.0);
    if (!last && s.done() == 0) {
      if (s.preparingHere() || s.modelLoadsStarted() > s.modelsLoaded()) {
        return String.format(Locale.ROOT, "[progress] preparing or loading the model on the "
            + "workers (%d s so far; a first run downloads and prepares it, several minutes); "
            + "%d images listed", secs, s.listed());
      }
      return String.format(Locale.ROOT, "[progress] listing directories and reading images "
          + "(%d s so far); %d images listed", secs, s.listed());
    }
    long from = s.firstRecognitionMillis() > 0 ? s.firstRecognitionMillis() : startMillis;
    double recognising = Math.max(0.001, (nowMillis - from) / 1000.0);
    double rate = s.done() / recognising;
    String eta = rate > 0 && s.listed() > s.done()
        ? String.format(Locale.ROOT, "%.0f s", (s.listed() - s.done()) / rate) : "-";
    return String.format(Locale.ROOT, "[progress] %d / %d images (%d failed, %d resumed from an "
        + "interrupted run), %d directories finished, %.2f img/s since the first image, %s%s",
        s.done(), s.listed(), s.failed(), s.resumed(), s.finished(), rate,
        last ? "finished in " + secs + " s" : "ETA ", last ? "" : eta);
  }

  private static Snapshot snapshot(MetricQueryResults q) {
    Map<String, Long> c = counters(q);
    long loaded = 0;
    long first = 0;
    for (MetricResult<DistributionResult> r : q.getDistributions()) {
      DistributionResult d = value(r);
      if (d == null || d.getCount() == 0) {
        continue;
      }
      switch (r.getName().getName()) {
        case "model_load_ms" -> loaded += d.getCount();
        case "recognition_started_at_ms" -> first = first == 0 ? d.getMin()
            : Math.min(first, d.getMin());
        default -> { }
      }
    }
    return new Snapshot(c.getOrDefault("images_listed", 0L),
        c.getOrDefault("images_recognized", 0L), c.getOrDefault("images_failed", 0L),
        c.getOrDefault("images_resumed", 0L), c.getOrDefault("directories_finished", 0L),
        c.getOrDefault("model_loads_started", 0L), loaded, first, ModelPreparation.underway());
  }

  private static <T> T value(MetricResult<T> r) {
    T v;
    try {
      v = r.getCommitted();
    } catch (UnsupportedOperationException e) {
      v = r.getAttempted();
    }
    return v == null ? r.getAttempted() : v;
  }

  private static Map<String, Long> counters(MetricQueryResults q) {
    Map<String, Long> out = new HashMap<>();
    for (MetricResult<Long> r : q.getCounters()) {
      Long v = value(r);
      out.merge(r.getName().getName(), v == null ? 0L : v, Long::sum);
    }
    return out;
  }
}
