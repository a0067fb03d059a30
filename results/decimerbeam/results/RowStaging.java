package decimerbeam.results;

import decimerbeam.storage.AzureAccess;
import decimerbeam.work.RunIdentity;
import java.io.Serializable;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How the recognising step makes its rows durable as they come ({@link RowStager}): the run
 * that stages them, how to reach storage, the longest a row waits in memory, and the files a
 * directory it finishes gets. Given to {@link
 * decimerbeam.transforms.RecognizeImages#withStaging}: staging happens where the rows are made,
 * not downstream, because a runner may hold a bundle's output until the bundle ends (the
 * DirectRunner's bundles grow with the input) while the rows are long recognised.
 */
public final class RowStaging implements Serializable {

  public static final int DEFAULT_CHECKPOINT_INTERVAL_SECONDS = 30;
  static final Duration DEFAULT_CHECKPOINT_INTERVAL =
      Duration.ofSeconds(DEFAULT_CHECKPOINT_INTERVAL_SECONDS);

  private final RunIdentity run;
  private final AzureAccess storage;
  private final Duration checkpointInterval;
  private final Set<ResultFormat> formats;

  private RowStaging(RunIdentity run, AzureAccess storage, Duration checkpointInterval,
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
  public static RowStaging of(RunIdentity run) {
    return new RowStaging(run, AzureAccess.none(), DEFAULT_CHECKPOINT_INTERVAL,
        EnumSet.of(ResultFormat.JSONL));
  }

  /** How to write to Azure Blob Storage. */
  public RowStaging withStorage(AzureAccess access) {
    return new RowStaging(run, access, checkpointInterval, formats);
  }

  /** The longest a recognised row waits in memory before it is durable. */
  public RowStaging withCheckpointInterval(Duration interval) {
    return new RowStaging(run, storage, interval, formats);
  }

  /** The files a directory it finishes gets besides results.jsonl; as the writer is given. */
  public RowStaging withFormats(Set<ResultFormat> result) {
    return new RowStaging(run, storage, checkpointInterval, result);
  }

  public RunIdentity run() {
    return run;
  }

  AzureAccess storage() {
    return storage;
  }

  public Duration checkpointInterval() {
    return checkpointInterval;
  }

  Set<ResultFormat> formats() {
    return formats;
  }
}
