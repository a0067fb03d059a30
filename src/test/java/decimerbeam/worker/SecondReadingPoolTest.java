package decimerbeam.worker;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import decimerbeam.inference.InferenceCapacity;
import decimerbeam.inference.SecondOpinion;
import decimerbeam.inference.SecondOpinionWarning;
import decimerbeam.inference.SecondReading;
import decimerbeam.inference.WorkingMemory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The second reader's pool: bounded by its threads, closed with the job, and holding the memory
 * the gate kept for each reading until that reading really ends.
 */
class SecondReadingPoolTest {

  private static final long MIB = 1 << 20;

  /** Each reading waits for {@link #release}, then answers the image's text as its SMILES. */
  private static final class WaitingReader implements SecondOpinion {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger began = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();

    @Override
    public String readerId() {
      return "waiting-reader";
    }

    @Override
    public SecondReading read(byte[] image) {
      began.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return SecondReading.of(new String(image, StandardCharsets.UTF_8), "", 0);
    }

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }

  private static long inAnHour() {
    return System.nanoTime() + TimeUnit.HOURS.toNanos(1);
  }

  @Test
  void neverRunsMoreReadingsThanItsThreadsAndItsThreadsEndWhenItCloses() throws Exception {
    WaitingReader reader = new WaitingReader();
    SecondReadingPool pool = new SecondReadingPool(reader, 2);
    AtomicInteger memoryBack = new AtomicInteger();
    ExecutorService callers = Executors.newFixedThreadPool(5);
    List<Future<SecondReading>> readings = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] image = ("C" + "C".repeat(i)).getBytes(StandardCharsets.UTF_8);
      readings.add(callers.submit(() -> pool.read(image, memoryBack::incrementAndGet,
          inAnHour())));
    }
    while (pool.running() < 2 || pool.waiting() < 3) {
      assertFalse(readings.stream().anyMatch(Future::isDone),
          "a reading ended before any was let go");
      Thread.sleep(20);
    }
    assertThat("readings begun while 3 wait their turn", reader.began.get(), equalTo(2));
    reader.release.countDown();
    List<String> smiles = new ArrayList<>();
    for (Future<SecondReading> f : readings) {
      smiles.add(f.get().smiles());
    }
    callers.shutdown();
    assertThat(smiles, equalTo(List.of("C", "CC", "CCC", "CCCC", "CCCCC")));
    assertThat("readings at once", pool.peakRunning(), equalTo(2));
    assertThat("memory holds given back", memoryBack.get(), equalTo(5));

    pool.close();
    assertThat("threads of the pool alive after it closed", pool.liveThreads(), equalTo(0));
    assertThat("the reader closed with the pool", reader.closed.get(), equalTo(1));
  }

  /**
   * DECIMER's call gives back its slot and keeps the heap estimate for the second reading; a
   * reading past the image's time is a warning, and its memory stays in the budget until the
   * reading really ends.
   */
  @Test
  void theGateKeepsTheReadingsMemoryButNotItsSlotUntilTheReadingEnds() throws Exception {
    InferenceGate gate = new InferenceGate(InferenceCapacity.compute(24_000, 0.75, 1_000, 2, 1));
    WaitingReader reader = new WaitingReader();
    SecondReadingPool pool = new SecondReadingPool(reader, 1);
    try {
      InferenceGate.Kept<String> decoded = gate.callKeeping(
          new WorkingMemory(100 * MIB, 30 * MIB), new WorkingMemory(100 * MIB, 0),
          () -> "decoded", Duration.ofSeconds(30));
      assertThat(decoded.value(), equalTo("decoded"));
      assertThat("calls holding a slot", gate.running(), equalTo(0));
      assertThat("heap kept", gate.heapInUse(), equalTo(100 * MIB));
      assertThat("native kept", gate.nativeInUse(), equalTo(0L));
      // The one slot is free: the next image runs while the reading holds its memory.
      assertThat(gate.call(WorkingMemory.NONE, () -> "next", Duration.ofSeconds(30)),
          equalTo("next"));

      SecondReading late = pool.read("CCO".getBytes(StandardCharsets.UTF_8), decoded.hold(),
          System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
      assertThat(late.warning(), equalTo(Optional.of(SecondOpinionWarning.SECOND_OPINION_TIMEOUT)));
      assertThat("reading still running", pool.running(), equalTo(1));
      assertThat("its heap still counted", gate.heapInUse(), equalTo(100 * MIB));
      reader.release.countDown();
      while (pool.running() > 0) {
        Thread.sleep(20);
      }
      assertThat("heap once the reading ended", gate.heapInUse(), equalTo(0L));
    } finally {
      reader.release.countDown();
      pool.close();
      gate.close();
    }
  }

  /** A call that fails gives back its slot and all its memory; nothing is kept. */
  @Test
  void aFailedCallKeepsNothing() throws Exception {
    InferenceGate gate = new InferenceGate(InferenceCapacity.compute(24_000, 0.75, 1_000, 2, 1));
    try {
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
          ExecutionException.class, () -> gate.callKeeping(new WorkingMemory(100 * MIB, 0),
              new WorkingMemory(100 * MIB, 0), () -> {
                throw new IllegalStateException("no");
              }, Duration.ofSeconds(30)));
      assertThat(e.getCause().getMessage(), equalTo("no"));
      assertThat(gate.running(), equalTo(0));
      assertThat(gate.heapInUse(), equalTo(0L));
    } finally {
      gate.close();
    }
  }
}
