package decimerbeam.work;

import java.io.Serializable;

/**
 * Which of a job's parallel workers (subtasks) the runner's shuffle sends a spread key to:
 * the runner's partitioning of {@code Reshuffle.of()} on a {@code BigEndianLongCoder} key. Given
 * to {@link decimerbeam.transforms.ExpandDirectories#withWorkers}, it lets a directory's images
 * be dealt over keys that reach every worker (see {@link SpreadKey}); the pipeline's wiring
 * supplies the runner's.
 */
@FunctionalInterface
public interface KeyPlacement extends Serializable {

  /** The worker, in {@code [0, workers)}, that {@code key} is sent to. */
  int workerOf(long key, int workers);
}
