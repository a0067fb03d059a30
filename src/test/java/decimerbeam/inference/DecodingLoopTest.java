package decimerbeam.inference;

import static decimerbeam.inference.CachedDecoderModel.DEPTH;
import static decimerbeam.inference.CachedDecoderModel.END;
import static decimerbeam.inference.CachedDecoderModel.ENCODER_POSITIONS;
import static decimerbeam.inference.CachedDecoderModel.HEADS;
import static decimerbeam.inference.CachedDecoderModel.PLANES;
import static decimerbeam.inference.CachedDecoderModel.START;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import decimerbeam.inference.RecognitionException.Kind;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * The decoding loop without the model: a stand-in step that ends every row at once, and fails
 * where a test says so, shows what reaches the images when a step fails.
 */
class DecodingLoopTest {

  private static final int ROWS = 2;

  /** A step whose first call throws {@code error}; later calls end every row with END. */
  private static DecodingLoop.Step failingFirst(Throwable error) {
    AtomicInteger calls = new AtomicInteger();
    return (tokens, positions, done, masks, self, cross) -> {
      if (calls.incrementAndGet() == 1) {
        if (error instanceof Error e) {
          throw e;
        }
        throw (RuntimeException) error;
      }
      int[] next = new int[tokens.length];
      float[] confidence = new float[tokens.length];
      Arrays.fill(next, END);
      Arrays.fill(confidence, 0.5f);
      return new CachedDecoderModel.StepOutput(next, confidence,
          new float[PLANES * tokens.length * HEADS * DEPTH]);
    };
  }

  private static TFloat32 encoding() {
    return TFloat32.tensorOf(Shape.of(PLANES, 1, HEADS, ENCODER_POSITIONS, DEPTH));
  }

  private static long inAMinute() {
    return System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
  }

  /**
   * The heap running out in a step is the Error itself for the images in the batch (so it fails
   * their worker, never their rows), and the loop goes on: the next image is decoded instead of
   * failing with "the decoder is closed".
   */
  @Test
  void heapExhaustedInAStepReachesItsImagesAndTheLoopGoesOn() throws Exception {
    OutOfMemoryError heap = new OutOfMemoryError("Java heap space");
    try (DecodingLoop loop = new DecodingLoop(failingFirst(heap), ROWS, "heap")) {
      OutOfMemoryError e = assertThrows(OutOfMemoryError.class,
          () -> loop.decode(encoding(), inAMinute()));
      assertThat(e.getMessage(), equalTo("Java heap space"));
      assertThat("the loop goes on after the heap ran out in a step", loop.isOpen(),
          equalTo(true));
      DecodingLoop.Decoded next = loop.decode(encoding(), inAMinute());
      assertThat(Arrays.toString(next.tokens()), equalTo(Arrays.toString(new int[] {START, END})));
    }
  }

  /** Any other Error in a step reaches its images the same way. */
  @Test
  void anyErrorInAStepReachesItsImagesUnwrapped() throws Exception {
    StackOverflowError deep = new StackOverflowError("too deep");
    try (DecodingLoop loop = new DecodingLoop(failingFirst(deep), ROWS, "deep")) {
      StackOverflowError e = assertThrows(StackOverflowError.class,
          () -> loop.decode(encoding(), inAMinute()));
      assertThat(e.getMessage(), equalTo("too deep"));
      assertThat(loop.decode(encoding(), inAMinute()).tokens().length, equalTo(2));
    }
  }

  /**
   * JavaCPP refusing native memory past its limit, and an exception from the step, stay the
   * image's failure (MODEL_ERROR with the reason): the worker's heap is fine.
   */
  @Test
  void aNativeRefusalOrAnExceptionIsTheImagesModelError() throws Exception {
    for (Throwable cause : new Throwable[] {
        new OutOfMemoryError("Physical memory usage is too high: physicalBytes (4308M) >"
            + " maxPhysicalBytes (4096M)"),
        new IllegalStateException("step failed")}) {
      try (DecodingLoop loop = new DecodingLoop(failingFirst(cause), ROWS, "image-fails")) {
        RecognitionException e = assertThrows(RecognitionException.class,
            () -> loop.decode(encoding(), inAMinute()));
        assertThat(e.getMessage(), e.kind(), equalTo(Kind.MODEL_ERROR));
        assertThat(e.getMessage(), containsString(cause.getMessage()));
        assertThat(loop.decode(encoding(), inAMinute()).tokens().length, equalTo(2));
      }
    }
  }
}
