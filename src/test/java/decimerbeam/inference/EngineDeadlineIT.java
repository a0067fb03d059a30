package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import decimerbeam.inference.RecognitionException.Kind;
import decimerbeam.testing.TestImages;
import org.junit.jupiter.api.Test;

/**
 * A deadline really ends a recognition: TensorFlow abandons the running step (RunOptions
 * timeout) and the call returns TIMEOUT long before the model would have finished, leaving the
 * engine usable.
 */
class EngineDeadlineIT {

  @Test
  void aDeadlineEndsTheModelCallAndTheEngineStaysUsable() throws Exception {
    DecimerEngine engine = TestModel.engine();
    byte[] caffeine = TestImages.bytes("real/decimer-caffeine.png");
    long t0 = System.nanoTime();
    Recognition full = engine.recognize(caffeine);
    long fullMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(full.smiles(), equalTo(TestImages.CAFFEINE));

    // A tenth of what the whole recognition took: the deadline falls inside the model call.
    long limit = Math.max(1, (full.preprocessMillis() + full.inferenceMillis()) / 10);
    long t1 = System.nanoTime();
    RecognitionException e = assertThrows(RecognitionException.class,
        () -> engine.recognize(caffeine, limit));
    long stoppedMs = (System.nanoTime() - t1) / 1_000_000;
    assertThat(e.getMessage(), e.kind(), equalTo(Kind.TIMEOUT));
    assertThat("stopped after " + stoppedMs + " ms; a full call took " + fullMs + " ms",
        stoppedMs, lessThan(fullMs / 2 + limit));

    assertThat(engine.recognize(caffeine, 600_000).smiles(), equalTo(TestImages.CAFFEINE));
  }
}
