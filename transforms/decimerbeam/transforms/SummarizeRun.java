package decimerbeam.transforms;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import decimerbeam.storage.Stores;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All directory outcomes → {@code _run-summary.json} at the output root (directories done,
 * already done, failed; images; img/s; wall time) and one log line.
 */
public final class SummarizeRun extends PTransform<PCollection<DirectoryOutcome>, PDone> {

  public static final String RUN_SUMMARY = "_run-summary.json";
  private static final Logger LOG = LoggerFactory.getLogger(SummarizeRun.class);

  private final Settings settings;
  private final long startMillis;

  /** {@code startMillis}: when the run was launched, for the wall time and the rate. */
  public SummarizeRun(Settings settings, long startMillis) {
    this.settings = settings;
    this.startMillis = startMillis;
  }

  @Override
  public PDone expand(PCollection<DirectoryOutcome> outcomes) {
    outcomes
        .apply("Collect outcomes", Combine.globally(new ListOutcomes()))
        .setCoder(SerializableCoder.of(OutcomeList.class))
        .apply("Write run summary", ParDo.of(new WriteFn(settings, startMillis)));
    return PDone.in(outcomes.getPipeline());
  }

  /** Serializable list holder (a raw ArrayList would need a list coder of a record coder). */
  public static final class OutcomeList implements java.io.Serializable {
    final ArrayList<DirectoryOutcome> items = new ArrayList<>();

    // Value equality lets the DirectRunner's mutation checks compare encodings.
    @Override
    public boolean equals(Object o) {
      return o instanceof OutcomeList other && items.equals(other.items);
    }

    @Override
    public int hashCode() {
      return items.hashCode();
    }
  }

  static final class ListOutcomes
      extends Combine.CombineFn<DirectoryOutcome, OutcomeList, OutcomeList> {
    @Override
    public OutcomeList createAccumulator() {
      return new OutcomeList();
    }

    @Override
    public OutcomeList addInput(OutcomeList acc, DirectoryOutcome o) {
      acc.items.add(o);
      return acc;
    }

    @Override
    public OutcomeList mergeAccumulators(Iterable<OutcomeList> accs) {
      OutcomeList all = new OutcomeList();
      for (OutcomeList a : accs) {
        all.items.addAll(a.items);
      }
      return all;
    }

    @Override
    public OutcomeList extractOutput(OutcomeList acc) {
      return acc;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<OutcomeList> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<DirectoryOutcome> inputCoder) {
      return SerializableCoder.of(OutcomeList.class);
    }
  }

  static final class WriteFn extends DoFn<OutcomeList, Void> {
    private final Settings settings;
    private final long startMillis;

    WriteFn(Settings settings, long startMillis) {
      this.settings = settings;
      this.startMillis = startMillis;
    }

    @ProcessElement
    public void process(@Element OutcomeList outcomes) throws IOException {
      List<DirectoryOutcome> list = new ArrayList<>(outcomes.items);
      list.sort((a, b) -> a.directory().compareTo(b.directory()));
      int done = 0;
      int alreadyDone = 0;
      int failedDirs = 0;
      int images = 0;
      int recognized = 0;
      int failedImages = 0;
      int skippedFiles = 0;
      for (DirectoryOutcome o : list) {
        switch (o.state()) {
          case DONE -> done++;
          case ALREADY_DONE -> alreadyDone++;
          case FAILED -> failedDirs++;
        }
        images += o.images();
        recognized += o.recognized();
        failedImages += o.failed();
        skippedFiles += o.skippedFiles();
      }
      double wall = (System.currentTimeMillis() - startMillis) / 1000.0;
      ObjectNode s = ResultJson.MAPPER.createObjectNode();
      s.put("output", settings.outputRoot().uri());
      s.put("startedAt", Instant.ofEpochMilli(startMillis).toString());
      s.put("finishedAt", Instant.now().toString());
      s.put("wallSeconds", Math.round(wall * 10) / 10.0);
      ObjectNode dirs = s.putObject("directories");
      dirs.put("done", done);
      dirs.put("alreadyDone", alreadyDone);
      dirs.put("failed", failedDirs);
      ObjectNode imgs = s.putObject("images");
      imgs.put("total", images);
      imgs.put("recognized", recognized);
      imgs.put("failed", failedImages);
      imgs.put("skippedFiles", skippedFiles);
      s.put("imagesPerSecond", wall > 0 ? Math.round(images / wall * 100) / 100.0 : 0.0);
      ArrayNode failed = s.putArray("failedDirectories");
      for (DirectoryOutcome o : list) {
        if (o.state() == DirectoryOutcome.State.FAILED) {
          failed.addObject().put("directory", o.directory()).put("error", o.message());
        }
      }
      Stores.forLocation(settings.outputRoot(), settings.azure()).writeAtomically(
          settings.outputRoot().resolve(RUN_SUMMARY),
          ResultJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(s));
      LOG.info(String.format(Locale.ROOT, "Run finished: directories %d done, %d already done, "
          + "%d failed; images %d (%d recognized, %d failed), %d other files skipped; %.2f img/s, "
          + "%.1f s wall", done, alreadyDone, failedDirs, images, recognized, failedImages,
          skippedFiles, wall > 0 ? images / wall : 0.0, wall));
    }
  }
}
