package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import decimerbeam.inference.RecognitionException.Kind;
import decimerbeam.testing.TestImages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The cached, batched decoder on the real model: an image's result the same alone, inside a
 * full batch and on either of two loops, and a deadline that still ends a recognition. That it
 * reads what the full decoder reads, token by token, is {@link EngineParityIT}'s.
 */
class CachedDecoderIT {

  private static final List<String> IMAGES = List.of("real/decimer-caffeine.png",
      "real/decimer-DECIMER_test_0.png", "real/decimer-DECIMER_test_1.png",
      "generated/gen-000.png", "generated/gen-001.png", "generated/gen-002.png",
      "generated/gen-005.png", "generated/gen-006.png");

  /** Each image read alone by the shared cached engine, once for the whole class. */
  private static List<Recognition> alone;

  private static synchronized List<Recognition> alone() throws RecognitionException {
    if (alone == null) {
      List<Recognition> read = new ArrayList<>();
      for (String image : IMAGES) {
        read.add(TestModel.cachedEngine().recognize(TestImages.bytes(image)));
      }
      alone = List.copyOf(read);
    }
    return alone;
  }

  @Test
  void anImageReadsTheSameAloneAndInAFullBatch() throws Exception {
    DecimerEngine cached = TestModel.cachedEngine();
    List<Recognition> alone = alone();
    // Every image twice at once: the loop batches up to 16 rows.
    ExecutorService pool = Executors.newFixedThreadPool(2 * IMAGES.size());
    try {
      long stepsBefore = cached.decoderStats().steps();
      long rowsBefore = cached.decoderStats().rowSteps();
      List<Future<Recognition>> together = new ArrayList<>();
      for (int copy = 0; copy < 2; copy++) {
        for (String image : IMAGES) {
          together.add(pool.submit(() -> cached.recognize(TestImages.bytes(image))));
        }
      }
      for (int i = 0; i < together.size(); i++) {
        Recognition a = alone.get(i % IMAGES.size());
        Recognition b = together.get(i).get();
        String image = IMAGES.get(i % IMAGES.size());
        assertThat(image, b.smiles(), equalTo(a.smiles()));
        assertArrayEquals(a.tokenConfidences(), b.tokenConfidences(), 0f, image);
      }
      long steps = cached.decoderStats().steps() - stepsBefore;
      long rows = cached.decoderStats().rowSteps() - rowsBefore;
      System.out.printf("batched: %d steps served %d image-steps (%.1f per step)%n", steps, rows,
          (double) rows / steps);
      assertThat("images really shared steps", (double) rows / steps, greaterThan(1.5));
    } finally {
      pool.shutdownNow();
    }
  }

  /** Two loops share the images out; an image reads the same whichever loop decodes it. */
  @Test
  void severalDecodingLoopsShareTheImagesAndChangeNoResult() throws Exception {
    List<Recognition> alone = alone();
    ExecutorService pool = Executors.newFixedThreadPool(IMAGES.size());
    try (DecimerEngine two = TestModel.cachedEngine().withOwnLoops(EngineSettings.defaults()
        .withDecoder(DecoderKind.CACHED).withDecoderLoops(2))) {
      List<Future<Recognition>> together = new ArrayList<>();
      for (String image : IMAGES) {
        together.add(pool.submit(() -> two.recognize(TestImages.bytes(image))));
      }
      for (int i = 0; i < IMAGES.size(); i++) {
        Recognition b = together.get(i).get();
        assertThat(IMAGES.get(i), b.smiles(), equalTo(alone.get(i).smiles()));
        assertArrayEquals(alone.get(i).tokenConfidences(), b.tokenConfidences(), 0f,
            IMAGES.get(i));
      }
      long[] steps = two.stepsPerLoop();
      assertThat(steps.length, equalTo(2));
      assertThat("both loops stepped: " + java.util.Arrays.toString(steps), steps[0] * steps[1],
          greaterThan(0L));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aDeadlineEndsACachedRecognitionAndTheEngineStaysUsable() throws Exception {
    DecimerEngine cached = TestModel.cachedEngine();
    byte[] caffeine = TestImages.bytes("real/decimer-caffeine.png");
    long atStart = steps(cached);
    Recognition whole = cached.recognize(caffeine);
    long wholeSteps = steps(cached) - atStart;
    long took = whole.preprocessMillis() + whole.inferenceMillis();
    long limit = Math.max(1, took / 10);
    long beforeTimeout = steps(cached);
    RecognitionException e = assertThrows(RecognitionException.class,
        () -> cached.recognize(caffeine, limit),
        "a reading came back: the " + limit + " ms deadline did not end the decoding");
    assertThat(e.getMessage(), e.kind(), equalTo(Kind.TIMEOUT));
    assertThat(cached.recognize(caffeine, 600_000).smiles(), equalTo(TestImages.CAFFEINE));
    // The usable engine's reading took wholeSteps again; the rest are the timed-out image's.
    long timedOutSteps = steps(cached) - beforeTimeout - wholeSteps;
    assertThat("steps the timed-out image took; a whole reading takes " + wholeSteps,
        timedOutSteps, lessThan(wholeSteps));
  }

  /** Decoding steps all of the engine's loops have run so far. */
  private static long steps(DecimerEngine engine) {
    return java.util.Arrays.stream(engine.stepsPerLoop()).sum();
  }

  /** A loop whose third step throws {@code error} instead of running the model's. */
  private static DecodingLoop failingAtTheThirdStep(CachedDecoderModel model,
      OutOfMemoryError error) {
    AtomicInteger steps = new AtomicInteger();
    DecodingLoop.Step failing = (tokens, positions, done, masks, self, cross) -> {
      if (steps.incrementAndGet() == 3) {
        throw error;
      }
      return model.step(tokens, positions, done, masks, self, cross);
    };
    return new DecodingLoop(failing, 4, "failing");
  }

  /**
   * JavaCPP refuses a step's native memory ("Physical memory usage is too high", an
   * OutOfMemoryError): the image in that step fails with the reason, and the loop decodes the
   * next image as before instead of leaving it to wait out its deadline. The heap running out
   * instead reaches the image as the Error itself, and the loop goes on too.
   */
  @Test
  void aStepRefusedMemoryFailsItsImagesAndTheLoopGoesOn() throws Exception {
    float[] input = TestModel.cachedEngine().preprocess(
        TestImages.bytes("real/decimer-caffeine.png"));
    CachedDecoderModel model = TestModel.cachedDecoderModel();
    DecodingLoop.Decoded expected;
    try (DecodingLoop plain = new DecodingLoop(model, 4, "plain")) {
      expected = plain.decode(model.encode(input, 0), inAMinute());
    }
    try (DecodingLoop loop = failingAtTheThirdStep(model, new OutOfMemoryError(
        "Physical memory usage is too high: physicalBytes (4308M) > maxPhysicalBytes (4096M)"))) {
      RecognitionException e = assertThrows(RecognitionException.class,
          () -> loop.decode(model.encode(input, 0), inAMinute()));
      assertThat(e.kind(), equalTo(Kind.MODEL_ERROR));
      assertThat(e.getMessage(), containsString("Physical memory usage is too high"));
      DecodingLoop.Decoded next = loop.decode(model.encode(input, 0), inAMinute());
      assertArrayEquals(expected.tokens(), next.tokens());
      assertArrayEquals(expected.confidences(), next.confidences(), 0f);
    }
    // The heap running out is the worker's failure: the image gets the Error itself (never a
    // MODEL_ERROR row), and the loop decodes the next image on fresh slots.
    try (DecodingLoop loop = failingAtTheThirdStep(model,
        new OutOfMemoryError("Java heap space"))) {
      OutOfMemoryError e = assertThrows(OutOfMemoryError.class,
          () -> loop.decode(model.encode(input, 0), inAMinute()));
      assertThat(e.getMessage(), equalTo("Java heap space"));
      assertThat("the loop goes on after the heap ran out in a step", loop.isOpen(),
          equalTo(true));
      DecodingLoop.Decoded next = loop.decode(model.encode(input, 0), inAMinute());
      assertArrayEquals(expected.tokens(), next.tokens());
      assertArrayEquals(expected.confidences(), next.confidences(), 0f);
    }
  }

  private static long inAMinute() {
    return System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
  }
}
