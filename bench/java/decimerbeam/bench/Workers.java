package decimerbeam.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed number of threads working through the indexes 0 to count - 1, each taking the next
 * index as it finishes one: the way the raw engine loop and the recording benchmarks keep a set
 * number of images in flight.
 */
final class Workers {

  private Workers() {}

  /** The work for one index. */
  interface IndexTask {
    void run(int index) throws Exception;
  }

  /**
   * Runs {@code task} for every index below {@code count} on {@code threads} threads and returns
   * when all are done; a task's exception comes out wrapped in an ExecutionException.
   */
  static void forEachIndex(int count, int threads, IndexTask task) throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < count; ) {
            task.run(i);
          }
          return null;
        }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
    } finally {
      pool.shutdown();
    }
  }
}
