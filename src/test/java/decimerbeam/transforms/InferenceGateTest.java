package decimerbeam.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import decimerbeam.inference.InferenceCapacity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The gate's permits, timeouts and drain, with plain calls in place of inferences. */
class InferenceGateTest {

  private static InferenceGate gateOf(int permits) {
    return new InferenceGate(InferenceCapacity.compute(24_000, 0.75, 1_000, 2, permits));
  }

  @Test
  void neverRunsMoreCallsThanPermits() throws Exception {
    InferenceGate gate = gateOf(2);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    ExecutorService callers = Executors.newFixedThreadPool(6);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int n = i;
      results.add(callers.submit(() -> gate.call(() -> {
        max.accumulateAndGet(running.incrementAndGet(), Math::max);
        Thread.sleep(150);
        running.decrementAndGet();
        return n;
      }, Duration.ofSeconds(10))));
    }
    for (int i = 0; i < 6; i++) {
      assertThat(results.get(i).get(), equalTo(i));
    }
    callers.shutdown();
    assertThat(max.get(), equalTo(2));
    assertThat(gate.running(), equalTo(0));
  }

  @Test
  void aTimedOutCallKeepsItsPermitUntilItEndsThenDrainReturns() throws Exception {
    InferenceGate gate = gateOf(1);
    CountDownLatch release = new CountDownLatch(1);
    assertThrows(TimeoutException.class, () -> gate.call(() -> {
      release.await();
      return "late";
    }, Duration.ofMillis(100)));
    assertThat(gate.running(), equalTo(1));
    // Still running: the only permit is taken, so nothing drains.
    assertThat(gate.drain(Duration.ofMillis(100)), equalTo(false));
    release.countDown();
    long t0 = System.nanoTime();
    assertThat(gate.drain(Duration.ofSeconds(5)), equalTo(true));
    assertThat((System.nanoTime() - t0) / 1_000_000, lessThan(2_000L));
    assertThat(gate.running(), equalTo(0));
    assertThat(gate.call(() -> "next", Duration.ofSeconds(1)), equalTo("next"));
  }

  @Test
  void aFailedCallGivesItsExceptionAndItsPermitBack() throws Exception {
    InferenceGate gate = gateOf(1);
    ExecutionException e = assertThrows(ExecutionException.class, () -> gate.call(() -> {
      throw new IllegalStateException("boom");
    }, Duration.ofSeconds(1)));
    assertThat(e.getCause(), instanceOf(IllegalStateException.class));
    assertThat(gate.running(), equalTo(0));
    assertThat(gate.drain(Duration.ofMillis(100)), equalTo(true));
  }
}
