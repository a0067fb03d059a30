package decimerbeam.work;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import decimerbeam.storage.Location;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A directory's spread keys: with the workers known, one per worker, each on a different
 * worker; without, the 32 keys of before. (Flink's own placement: FlinkKeyPlacementTest and
 * ImagesInFlightOnFlinkIT.)
 */
class SpreadKeyTest {

  /** A fair stand-in for a runner's hash partitioning. */
  private static final KeyPlacement MIXED =
      (key, workers) -> Math.floorMod(Long.hashCode(key * 0x9E3779B97F4A7C15L), workers);

  private static DirectoryWork work(String key) {
    return new DirectoryWork(new Location("/in/" + key + "/"), new Location("/out/" + key + "/"),
        key, false, false, 0, "", "");
  }

  private static Set<Integer> workersOf(long[] keys, int workers, KeyPlacement placement) {
    Set<Integer> reached = new HashSet<>();
    for (long k : keys) {
      reached.add(placement.workerOf(k, workers));
    }
    return reached;
  }

  @Test
  void aBigDirectoryHasAKeyOnEveryWorker() {
    for (int workers : new int[] {1, 2, 8, 16, 64, 200}) {
      for (int d = 0; d < 50; d++) {
        DirectoryWork w = work("plate-" + d);
        long[] keys = SpreadKey.forDirectory(w, 5_000, workers, MIXED);
        assertThat(keys.length, equalTo(workers));
        assertThat("workers reached by " + w.key() + " at " + workers,
            workersOf(keys, workers, MIXED).size(), equalTo(workers));
        for (long k : keys) {
          assertThat("a key starts with its directory's hash", (int) (k >>> 32),
              equalTo(w.key().hashCode()));
        }
      }
    }
  }

  @Test
  void aSmallDirectoryHasAWorkerPerImageAndSmallDirectoriesUseAllWorkers() {
    Set<Integer> reachedByAll = new HashSet<>();
    for (int d = 0; d < 400; d++) {
      long[] keys = SpreadKey.forDirectory(work("small-" + d), 3, 64, MIXED);
      assertThat(keys.length, equalTo(3));
      Set<Integer> reached = workersOf(keys, 64, MIXED);
      assertThat("one worker per image of small-" + d, reached.size(), equalTo(3));
      reachedByAll.addAll(reached);
    }
    assertThat("workers that 400 directories of 3 images reach", reachedByAll.size(),
        equalTo(64));
  }

  @Test
  void withoutTheWorkersADirectoryHasItsThirtyTwoKeys() {
    DirectoryWork w = work("plate");
    long high = (long) w.key().hashCode() << 32;
    long[] keys = SpreadKey.forDirectory(w, 1_000, 0, null);
    assertThat(keys.length, equalTo(SpreadKey.KEYS_PER_DIRECTORY));
    for (int j = 0; j < keys.length; j++) {
      assertThat(keys[j], equalTo(high | j));
    }
    assertThat(SpreadKey.forDirectory(w, 5, 0, null).length, equalTo(5));
  }

  @Test
  void aPlacementThatMissesWorkersStillGivesDistinctKeys() {
    long[] keys = SpreadKey.forDirectory(work("plate"), 100, 16, (key, workers) -> 0);
    assertThat(keys.length, equalTo(16));
    assertThat("distinct keys", Arrays.stream(keys).distinct().count(), equalTo(16L));
  }
}
