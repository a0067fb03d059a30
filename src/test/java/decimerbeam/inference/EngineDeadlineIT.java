package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import decimerbeam.inference.RecognitionException.Kind;
import decimerbeam.testing.TestImages;
import org.junit.jupiter.api.Test;

/**
 * A deadline really ends a recognition: TensorFlow abandons the running step (RunOptions
 * timeout) and the call returns TIMEOUT instead of a reading, leaving the engine usable. Nothing
 * checks the deadline after the model call, so a reading that came back would mean the model
 * call ran to its end.
 */
class EngineDeadlineIT {

  @Test
  void aDeadlineEndsTheModelCallAndTheEngineStaysUsable() throws Exception {
    DecimerEngine engine = TestModel.engine();
    byte[] caffeine = TestImages.bytes("real/decimer-caffeine.png");
    Recognition full = engine.recognize(caffeine);
    assertThat(full.smiles(), equalTo(TestImages.CAFFEINE));

    // A tenth of what the whole recognition took: the deadline falls inside the model call.
    long limit = Math.max(1, (full.preprocessMillis() + full.inferenceMillis()) / 10);
    RecognitionException e = assertThrows(RecognitionException.class,
        () -> engine.recognize(caffeine, limit),
        "a reading came back: the " + limit + " ms deadline did not end the model call");
    assertThat(e.getMessage(), e.kind(), equalTo(Kind.TIMEOUT));
    assertThat(e.getMessage(), equalTo("recognition stopped after its limit of " + limit + " ms"));

    assertThat(engine.recognize(caffeine, 600_000).smiles(), equalTo(TestImages.CAFFEINE));
  }
}
