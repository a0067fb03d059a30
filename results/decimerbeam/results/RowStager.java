package decimerbeam.results;

import decimerbeam.storage.BlobStore;
import decimerbeam.storage.Stores;
import decimerbeam.work.DirectoryWork;
import decimerbeam.worker.FailureLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DoFn instance's staging: it holds the rows it is given and writes them to their
 * directories' staging folders ({@link StagingArea}) every checkpoint interval on a timer thread
 * of its own, and whenever it is asked to (a bundle's end). After each write it checks whether
 * the directory's staged rows now cover every listed file, and if so finishes the directory at
 * once ({@link DirectoryFinalizer}), while other directories are still running.
 *
 * <p>The timer is per instance so that one flush stuck in storage retries delays no other
 * instance's rows, and it ends with {@link #close}: nothing outlives the job. A failure in a
 * timed flush, {@link Error}s included, is logged and the next one still comes.
 */
public final class RowStager implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RowStager.class);
  private static final FailureLog FAILURES = new FailureLog(LOG, 10);

  private final RowStaging spec;
  private final String writer = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  private final Map<DirectoryWork, List<ImageResult>> buffer = new HashMap<>();
  private final Object flushLock = new Object();
  private final AtomicLong stagedSinceTaken = new AtomicLong();
  private final AtomicLong finishedSinceTaken = new AtomicLong();
  private final ScheduledExecutorService timer;
  /** The timer's thread, once it has one; {@link #close} waits for it to end. */
  private volatile Thread timerThread;
  private long seq;

  public RowStager(RowStaging spec) {
    this.spec = spec;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "decimer-row-staging-" + writer);
      t.setDaemon(true);
      timerThread = t;
      return t;
    });
    long ms = spec.checkpointInterval().toMillis();
    timer.scheduleWithFixedDelay(this::timedFlush, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Holds {@code row} until the next flush. */
  public void add(DirectoryWork work, ImageResult row) {
    synchronized (buffer) {
      buffer.computeIfAbsent(work, k -> new ArrayList<>()).add(row);
    }
  }

  /** Rows staged since the last call; for metrics, which only the processing thread may set. */
  public long takeStaged() {
    return stagedSinceTaken.getAndSet(0);
  }

  /** Directories finished since the last call. */
  public long takeFinished() {
    return finishedSinceTaken.getAndSet(0);
  }

  private void timedFlush() {
    try {
      flush(true);
    } catch (Throwable t) {
      // A scheduled task that throws is never run again: the rows would wait for the bundle.
      FAILURES.failed("staging rows", t);
    }
  }

  /**
   * Writes every held directory's rows as one staged file each, then finishes the directories
   * that are complete. A failed write keeps its rows for the next try when {@code keepOnFailure};
   * at a bundle's end they are dropped, as the rows also travel on to the end-of-run writer.
   */
  public void flush(boolean keepOnFailure) {
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
        BlobStore store = Stores.forLocation(work.output(), spec.storage());
        try {
          StagingArea.write(store, work, spec.run().tag(), writer, seq++, e.getValue());
          stagedSinceTaken.addAndGet(e.getValue().size());
        } catch (Exception ex) {
          FAILURES.failed("staging " + e.getValue().size() + " rows of " + work.directory(), ex);
          if (keepOnFailure) {
            synchronized (buffer) {
              buffer.computeIfAbsent(work, k -> new ArrayList<>()).addAll(0, e.getValue());
            }
          }
          continue;
        }
        try {
          Optional<DirectoryOutcome> done =
              new DirectoryFinalizer(store, spec.run(), spec.formats()).finishIfComplete(work);
          if (done.isPresent()) {
            finishedSinceTaken.incrementAndGet();
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

  /** Stops the timer, waiting for a flush under way, then stages what is left. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      if (timer.awaitTermination(1, TimeUnit.MINUTES) && timerThread != null) {
        timerThread.join(TimeUnit.MINUTES.toMillis(1)); // terminated: it is about to end
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush(false);
  }
}
