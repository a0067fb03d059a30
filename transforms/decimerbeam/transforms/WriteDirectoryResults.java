package decimerbeam.transforms;

import decimerbeam.results.DirectoryFinalizer;
import decimerbeam.results.DirectoryOutcome;
import decimerbeam.results.ImageResult;
import decimerbeam.results.ResultFormat;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.Stores;
import decimerbeam.work.DirectoryWork;
import decimerbeam.work.RunIdentity;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of the run for each directory: rows grouped per directory → its outcome. Most
 * directories were finished while the run went on ({@link decimerbeam.results.RowStager}); the
 * rest (a staged write that failed, rows an earlier run left behind) are finished here from
 * everything durable plus the grouped rows: {@code results.jsonl}, then {@code summary.json},
 * each replaced in one step ({@link DirectoryFinalizer}).
 */
public final class WriteDirectoryResults extends
    PTransform<PCollection<KV<DirectoryWork, ImageResult>>, PCollection<DirectoryOutcome>> {

  private final RunIdentity run;
  private final AzureAccess storage;
  private final Set<ResultFormat> formats;
  private final boolean acceptUnreadable;

  private WriteDirectoryResults(RunIdentity run, AzureAccess storage,
      Set<ResultFormat> formats, boolean acceptUnreadable) {
    this.run = Objects.requireNonNull(run, "run");
    this.storage = Objects.requireNonNull(storage, "storage");
    this.formats = EnumSet.copyOf(formats);
    this.acceptUnreadable = acceptUnreadable;
  }

  /** Finishes the directories of {@code run}; the identity the expansion and stager use. */
  public static WriteDirectoryResults of(RunIdentity run) {
    return new WriteDirectoryResults(run, AzureAccess.none(), EnumSet.of(ResultFormat.JSONL),
        false);
  }

  /** How to write results kept in Azure Blob Storage. */
  public WriteDirectoryResults withStorage(AzureAccess access) {
    return new WriteDirectoryResults(run, access, formats, acceptUnreadable);
  }

  /** The files each directory gets besides results.jsonl ({@code --formats}). */
  public WriteDirectoryResults withFormats(Set<ResultFormat> result) {
    return new WriteDirectoryResults(run, storage, result, acceptUnreadable);
  }

  /**
   * Whether an image storage would not give in this run is a final READ_ERROR row, so that its
   * directory finishes (default: only after {@value DirectoryFinalizer#UNREADABLE_RUNS} runs
   * could not read it; until then the directory stays unfinished).
   */
  public WriteDirectoryResults withAcceptUnreadable(boolean accept) {
    return new WriteDirectoryResults(run, storage, formats, accept);
  }

  @Override
  public PCollection<DirectoryOutcome> expand(PCollection<KV<DirectoryWork, ImageResult>> rows) {
    return rows
        .apply("Group by directory", GroupByKey.create())
        .apply("Write directory results", ParDo.of(new WriteFn(run, storage, formats, acceptUnreadable)))
        .setCoder(RecordCoder.of(DirectoryOutcome.class));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("runId", run.runId()))
        .add(DisplayData.item("acceptUnreadable", acceptUnreadable));
  }

  static final class WriteFn
      extends DoFn<KV<DirectoryWork, Iterable<ImageResult>>, DirectoryOutcome> {
    private static final Logger LOG = LoggerFactory.getLogger(WriteDirectoryResults.class);
    private final RunIdentity run;
    private final AzureAccess storage;
    private final Set<ResultFormat> formats;
    private final boolean acceptUnreadable;
    private final Counter written = Metrics.counter("decimer", "directories_written");
    private final Counter finished = Metrics.counter("decimer", "directories_finished");

    WriteFn(RunIdentity run, AzureAccess storage, Set<ResultFormat> formats,
        boolean acceptUnreadable) {
      this.run = run;
      this.storage = storage;
      this.formats = formats;
      this.acceptUnreadable = acceptUnreadable;
    }

    @ProcessElement
    public void process(@Element KV<DirectoryWork, Iterable<ImageResult>> group,
        OutputReceiver<DirectoryOutcome> out) {
      DirectoryWork work = group.getKey();
      DirectoryFinalizer finalizer =
          new DirectoryFinalizer(Stores.forLocation(work.output(), storage), run, formats,
              acceptUnreadable);
      try {
        Optional<DirectoryOutcome> early = finalizer.finishedByThisRun(work);
        if (early.isPresent()) {
          out.output(early.get());
        } else {
          DirectoryOutcome outcome = finalizer.finish(work, group.getValue());
          out.output(outcome);
          if (outcome.state() == DirectoryOutcome.State.DONE) {
            finished.inc();
          }
        }
      } catch (IOException | RuntimeException e) {
        // Storage gave up on this directory's results: it stays unfinished (no summary.json,
        // its staged rows kept), the other directories and the run summary go on.
        LOG.warn("Could not write the results of {}: {}", work.directory(), e.getMessage());
        out.output(DirectoryOutcome.unfinished(work.directory().uri(), work.output().uri(),
            "its results could not be written: " + e.getMessage()));
      }
      written.inc();
    }
  }
}
