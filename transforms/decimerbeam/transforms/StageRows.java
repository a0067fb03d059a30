package decimerbeam.transforms;

import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.BlobStore;
import decimerbeam.storage.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes rows durable as they come: each worker writes the rows it holds to its directories'
 * staging folders ({@link StagingArea}) every checkpoint interval, on a timer of its own (a
 * bundle can last a whole task on Flink batch, so bundle ends alone are not enough), and at the
 * end of each bundle. After each write it checks whether the directory's staged rows now cover
 * every listed file, and if so finishes the directory at once ({@link DirectoryFinalizer}),
 * while other directories are still running. Rows pass through unchanged.
 */
public final class StageRows extends PTransform<PCollection<KV<DirectoryWork, ImageResult>>,
    PCollection<KV<DirectoryWork, ImageResult>>> {

  static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(30);

  private final RunIdentity run;
  private final AzureAccess storage;
  private final Duration checkpointInterval;
  private final Set<ResultFormat> formats;

  private StageRows(RunIdentity run, AzureAccess storage, Duration checkpointInterval,
      Set<ResultFormat> formats) {
    this.run = Objects.requireNonNull(run, "run");
    this.storage = Objects.requireNonNull(storage, "storage");
    if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
      throw new IllegalArgumentException("checkpoint interval must be > 0, got "
          + checkpointInterval);
    }
    this.checkpointInterval = checkpointInterval;
    this.formats = EnumSet.copyOf(formats);
  }

  /** Stages the rows of {@code run}; the same identity the expansion and writer use. */
  public static StageRows of(RunIdentity run) {
    return new StageRows(run, AzureAccess.none(), DEFAULT_CHECKPOINT_INTERVAL,
        EnumSet.of(ResultFormat.JSONL));
  }

  /** How to write to Azure Blob Storage. */
  public StageRows withStorage(AzureAccess access) {
    return new StageRows(run, access, checkpointInterval, formats);
  }

  /** The longest a recognised row waits in memory before it is durable. */
  public StageRows withCheckpointInterval(Duration interval) {
    return new StageRows(run, storage, interval, formats);
  }

  /** The files a directory it finishes gets besides results.jsonl; as the writer is given. */
  public StageRows withFormats(Set<ResultFormat> result) {
    return new StageRows(run, storage, checkpointInterval, result);
  }

  @Override
  public PCollection<KV<DirectoryWork, ImageResult>> expand(
      PCollection<KV<DirectoryWork, ImageResult>> rows) {
    return rows.apply("Stage", ParDo.of(new StageFn(this))).setCoder(rows.getCoder());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("runId", run.runId()))
        .add(DisplayData.item("checkpointIntervalSeconds", checkpointInterval.toSeconds()));
  }

  static final class StageFn
      extends DoFn<KV<DirectoryWork, ImageResult>, KV<DirectoryWork, ImageResult>> {
    private static final Logger LOG = LoggerFactory.getLogger(StageRows.class);
    private static final FailureLog FAILURES = new FailureLog(LOG, 10);
    // One timer thread per JVM serves every instance: flushes are short writes.
    private static final ScheduledExecutorService TIMER =
        Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "decimer-row-staging");
          t.setDaemon(true);
          return t;
        });

    private final RunIdentity run;
    private final AzureAccess storage;
    private final Duration checkpointInterval;
    private final Set<ResultFormat> formats;
    private final Counter staged = Metrics.counter("decimer", "rows_staged");
    private final Counter finished = Metrics.counter("decimer", "directories_finished");
    private transient Map<DirectoryWork, List<ImageResult>> buffer;
    private transient Object flushLock;
    private transient String writer;
    private transient long seq;
    private transient AtomicLong stagedSinceReport;
    private transient AtomicLong finishedSinceReport;
    private transient ScheduledFuture<?> timer;

    StageFn(StageRows spec) {
      this.run = spec.run;
      this.storage = spec.storage;
      this.checkpointInterval = spec.checkpointInterval;
      this.formats = spec.formats;
    }

    @Setup
    public void setup() {
      buffer = new HashMap<>();
      flushLock = new Object();
      writer = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
      stagedSinceReport = new AtomicLong();
      finishedSinceReport = new AtomicLong();
      long ms = checkpointInterval.toMillis();
      timer = TIMER.scheduleWithFixedDelay(() -> flush(true), ms, ms, TimeUnit.MILLISECONDS);
    }

    @ProcessElement
    public void process(@Element KV<DirectoryWork, ImageResult> row,
        OutputReceiver<KV<DirectoryWork, ImageResult>> out) {
      synchronized (buffer) {
        buffer.computeIfAbsent(row.getKey(), k -> new ArrayList<>()).add(row.getValue());
      }
      out.output(row);
      report();
    }

    @FinishBundle
    public void finishBundle() {
      // Rows of a bundle that ends are durable before the bundle's output moves on, so the
      // end-of-run writer never races a late staged file.
      flush(false);
      report();
    }

    @Teardown
    public void teardown() {
      if (timer != null) {
        timer.cancel(false);
        flush(false);
      }
    }

    /** Metrics can only be set on the processing thread; the timer's work is reported here. */
    private void report() {
      staged.inc(stagedSinceReport.getAndSet(0));
      finished.inc(finishedSinceReport.getAndSet(0));
    }

    /**
     * Writes every buffered directory's rows as one staged file each, then finishes the
     * directories that are complete. A failed write keeps its rows for the next try when
     * {@code keepOnFailure}; at a bundle's end they are dropped, as the rows also travel on to
     * the end-of-run writer.
     */
    private void flush(boolean keepOnFailure) {
      synchronized (flushLock) {
        Map<DirectoryWork, List<ImageResult>> batch;
        synchronized (buffer) {
          if (buffer.isEmpty()) {
            return;
          }
          batch = new HashMap<>(buffer);
          buffer.clear();
        }
        for (Map.Entry<DirectoryWork, List<ImageResult>> e : batch.entrySet()) {
          DirectoryWork work = e.getKey();
          BlobStore store = Stores.forLocation(work.output(), storage);
          try {
            StagingArea.write(store, work, run.tag(), writer, seq++, e.getValue());
            stagedSinceReport.addAndGet(e.getValue().size());
          } catch (Exception ex) {
            FAILURES.failed("staging " + e.getValue().size() + " rows of " + work.directory(),
                ex);
            if (keepOnFailure) {
              synchronized (buffer) {
                buffer.computeIfAbsent(work, k -> new ArrayList<>()).addAll(0, e.getValue());
              }
            }
            continue;
          }
          try {
            Optional<DirectoryOutcome> done =
                new DirectoryFinalizer(store, run, formats).finishIfComplete(work);
            if (done.isPresent()) {
              finishedSinceReport.incrementAndGet();
              LOG.info("Finished {}: {} images ({} reused from an earlier run)",
                  work.directory(), done.get().images() + done.get().reused(),
                  done.get().reused());
            }
          } catch (Exception ex) {
            // The end-of-run writer finishes it instead.
            FAILURES.failed("finishing " + work.directory(), ex);
          }
        }
      }
    }
  }
}
