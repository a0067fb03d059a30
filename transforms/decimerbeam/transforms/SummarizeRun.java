package decimerbeam.transforms;

import decimerbeam.report.ReportedDirectory;
import decimerbeam.report.RunReport;
import decimerbeam.report.RunSummary;
import decimerbeam.results.DirectoryOutcome;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.BlobStore;
import decimerbeam.storage.Location;
import decimerbeam.storage.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All directory outcomes → {@code _run-summary.json} at the output root (directories done,
 * already done, failed, unfinished, and whether that is all of them; images; img/s; wall time), beside it {@code report.html} ({@link
 * RunReport}) when asked for, and one log line.
 */
public final class SummarizeRun extends PTransform<PCollection<DirectoryOutcome>, PDone> {

  public static final String RUN_SUMMARY = RunSummary.FILE;
  private static final Logger LOG = LoggerFactory.getLogger(SummarizeRun.class);

  private final Location outputRoot;
  private final AzureAccess storage;
  private final long startMillis;
  private final boolean report;

  private SummarizeRun(Location outputRoot, AzureAccess storage, long startMillis,
      boolean report) {
    this.outputRoot = Objects.requireNonNull(outputRoot, "outputRoot");
    this.storage = Objects.requireNonNull(storage, "storage");
    this.startMillis = startMillis;
    this.report = report;
  }

  /** Writes the run summary at {@code outputRoot}; the run's start is taken as now. */
  public static SummarizeRun to(Location outputRoot) {
    return new SummarizeRun(outputRoot, AzureAccess.none(), System.currentTimeMillis(), false);
  }

  /** How to write to Azure Blob Storage. */
  public SummarizeRun withStorage(AzureAccess access) {
    return new SummarizeRun(outputRoot, access, startMillis, report);
  }

  /** When the run was launched, for the wall time and the rate. */
  public SummarizeRun withStartMillis(long millis) {
    return new SummarizeRun(outputRoot, storage, millis, report);
  }

  /**
   * Whether to write report.html beside the summary; its links lead to the directories'
   * review.html, so ask for it when they get one ({@link decimerbeam.results.ResultFormat#REVIEW}).
   */
  public SummarizeRun withReport(boolean write) {
    return new SummarizeRun(outputRoot, storage, startMillis, write);
  }

  @Override
  public PDone expand(PCollection<DirectoryOutcome> outcomes) {
    outcomes
        .apply("Collect outcomes", Combine.globally(new ListOutcomes()))
        .setCoder(ListCoder.of(RecordCoder.of(DirectoryOutcome.class)))
        .apply("Write run summary",
            ParDo.of(new WriteFn(outputRoot, storage, startMillis, report)));
    return PDone.in(outcomes.getPipeline());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("outputRoot", outputRoot.uri()))
        .add(DisplayData.item("report", report));
  }

  /** All outcomes in one list: one element per directory, a few thousand at most. */
  static final class ListOutcomes extends
      Combine.CombineFn<DirectoryOutcome, List<DirectoryOutcome>, List<DirectoryOutcome>> {
    @Override
    public List<DirectoryOutcome> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<DirectoryOutcome> addInput(List<DirectoryOutcome> acc, DirectoryOutcome o) {
      acc.add(o);
      return acc;
    }

    @Override
    public List<DirectoryOutcome> mergeAccumulators(Iterable<List<DirectoryOutcome>> accs) {
      List<DirectoryOutcome> all = new ArrayList<>();
      accs.forEach(all::addAll);
      return all;
    }

    @Override
    public List<DirectoryOutcome> extractOutput(List<DirectoryOutcome> acc) {
      return acc;
    }

    @Override
    public Coder<List<DirectoryOutcome>> getAccumulatorCoder(CoderRegistry registry,
        Coder<DirectoryOutcome> inputCoder) {
      return ListCoder.of(RecordCoder.of(DirectoryOutcome.class));
    }
  }

  static final class WriteFn extends DoFn<List<DirectoryOutcome>, Void> {
    private final Location outputRoot;
    private final AzureAccess storage;
    private final long startMillis;
    private final boolean report;

    WriteFn(Location outputRoot, AzureAccess storage, long startMillis, boolean report) {
      this.outputRoot = outputRoot;
      this.storage = storage;
      this.startMillis = startMillis;
      this.report = report;
    }

    @ProcessElement
    public void process(@Element List<DirectoryOutcome> outcomes) throws IOException {
      List<DirectoryOutcome> list = new ArrayList<>(outcomes);
      list.sort((a, b) -> a.directory().compareTo(b.directory()));
      int done = 0;
      int alreadyDone = 0;
      int failedDirs = 0;
      int unfinished = 0;
      int images = 0;
      int recognized = 0;
      int failedImages = 0;
      int skippedFiles = 0;
      int reused = 0;
      int withWarnings = 0;
      Map<String, Integer> warnings = new TreeMap<>();
      for (DirectoryOutcome o : list) {
        switch (o.state()) {
          case DONE -> done++;
          case ALREADY_DONE -> alreadyDone++;
          case FAILED -> failedDirs++;
          case UNFINISHED -> unfinished++;
        }
        images += o.images();
        recognized += o.recognized();
        failedImages += o.failed();
        skippedFiles += o.skippedFiles();
        reused += o.reused();
        withWarnings += o.withWarnings();
        o.warningsByCode().forEach((code, n) -> warnings.merge(code, n, Integer::sum));
      }
      double wall = (System.currentTimeMillis() - startMillis) / 1000.0;
      List<RunSummary.NotFinished> failed = new ArrayList<>();
      List<RunSummary.NotFinished> left = new ArrayList<>();
      for (DirectoryOutcome o : list) {
        if (o.state() == DirectoryOutcome.State.FAILED) {
          failed.add(new RunSummary.NotFinished(o.directory(), o.message()));
        } else if (o.state() == DirectoryOutcome.State.UNFINISHED) {
          left.add(new RunSummary.NotFinished(o.directory(), o.message()));
        }
      }
      RunSummary s = new RunSummary(outputRoot.uri(), Instant.ofEpochMilli(startMillis).toString(),
          Instant.now().toString(), Math.round(wall * 10) / 10.0,
          failedDirs == 0 && unfinished == 0,
          new RunSummary.Directories(done, alreadyDone, failedDirs, unfinished),
          new RunSummary.Images(images, recognized, failedImages, skippedFiles, reused,
              withWarnings),
          warnings, wall > 0 ? Math.round(images / wall * 100) / 100.0 : 0.0, failed, left);
      BlobStore store = Stores.forLocation(outputRoot, storage);
      store.writeAtomically(outputRoot.resolve(RUN_SUMMARY), s.toJson());
      Location page = outputRoot.resolve(RunReport.FILE);
      if (report) {
        List<ReportedDirectory> reported = list.stream().map(this::reported).toList();
        store.writeAtomically(page,
            RunReport.render(s, reported, true).getBytes(StandardCharsets.UTF_8));
      } else {
        // An earlier run's report would stand beside a summary it does not describe.
        store.deleteIfExists(page);
      }
      LOG.info(String.format(Locale.ROOT, "Run finished: directories %d done, %d already done, "
          + "%d failed, %d unfinished; images %d (%d recognized, %d failed), %d reused from an interrupted run, "
          + "%d other files skipped; %.2f img/s, %.1f s wall", done, alreadyDone, failedDirs,
          unfinished, images, recognized, failedImages, reused, skippedFiles,
          wall > 0 ? images / wall : 0.0, wall));
    }

    private ReportedDirectory reported(DirectoryOutcome o) {
      String root = outputRoot.uri();
      String path = o.output().startsWith(root) ? o.output().substring(root.length())
          : o.output();
      return new ReportedDirectory(o.directory(), path, o.state().name(), o.images(),
          o.recognized(), o.failed(), o.withWarnings(), o.message(), o.review());
    }
  }
}
