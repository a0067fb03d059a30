package decimerbeam.transforms;

import static decimerbeam.testing.StandInRecognizer.image;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import decimerbeam.inference.SecondOpinion;
import decimerbeam.inference.SecondReading;
import decimerbeam.inference.Structures;
import decimerbeam.results.ImageResult;
import decimerbeam.storage.FileEntry;
import decimerbeam.storage.Location;
import decimerbeam.testing.StandInRecognizer;
import decimerbeam.work.DirectoryWork;
import decimerbeam.work.ImageRef;
import decimerbeam.worker.InferenceGate;
import decimerbeam.worker.SecondReader;
import decimerbeam.worker.SharedGates;
import decimerbeam.worker.WorkerProbes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recognition's mechanics with a stand-in recognizer on the DirectRunner: every way an image can
 * fail is exactly one row with its kind, the gate bounds concurrency, and teardown never closes
 * the model under a running call.
 */
class RecognizeImagesTest {

  @TempDir Path tmp;

  private DirectoryWork work() {
    Location dir = Location.directory(tmp.resolve("plates") + "/");
    return new DirectoryWork(dir, Location.directory(tmp.resolve("out/plates") + "/"), "plates",
        false, false, 11, "fingerprint", "key");
  }

  private ImageRef put(String name, byte[] bytes) throws IOException {
    Path file = Files.createDirectories(tmp.resolve("plates")).resolve(name);
    Files.write(file, bytes);
    return new ImageRef(work(), new FileEntry(name, Location.parse(file.toString()),
        bytes.length));
  }

  private ImageRef missing(String name) {
    return new ImageRef(work(), new FileEntry(name,
        Location.parse(tmp.resolve("plates").resolve(name).toString()), 10));
  }

  private static String describe(ImageResult r) {
    return r.image() + " " + r.status() + " " + r.errorKind() + " " + r.smiles() + " "
        + r.modelId();
  }

  @Test
  void everyOutcomeIsExactlyOneRowWithItsKind() throws Exception {
    List<ImageRef> refs = new ArrayList<>(List.of(
        put("ok.png", image("smiles=CCO")),
        put("real.png", Files.readAllBytes(Path.of(
            "src/test/resources/images/real/decimer-caffeine.png"))),
        put("unreadable.png", image("fail=UNREADABLE")),
        put("unsupported.png", image("fail=UNSUPPORTED_FORMAT")),
        put("too-large.png", image("fail=TOO_LARGE")),
        put("blank.png", image("fail=BLANK_IMAGE")),
        put("model-error.png", image("fail=MODEL_ERROR")),
        put("crash.png", image("throw=native call failed")),
        put("hang.png", image("sleepMs=4000")),
        put("notes.txt", image("smiles=N")),
        missing("gone.png")));

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<KV<DirectoryWork, ImageResult>> rows = p
        .apply(Create.of(refs).withCoder(RecordCoder.of(ImageRef.class)))
        .apply(RecognizeImages.with(StandInRecognizer.factory("kinds"))
            .withImageTimeout(Duration.ofSeconds(1)).withMaxConcurrentInferences(2));
    PAssert.that(rows.apply("Describe", MapElements.into(TypeDescriptors.strings())
            .via((KV<DirectoryWork, ImageResult> kv) -> kv.getKey().key() + ": "
                + describe(kv.getValue()))))
        .containsInAnyOrder(
            "plates: ok.png RECOGNIZED  CCO stand-in",
            "plates: real.png RECOGNIZED  C stand-in",
            "plates: unreadable.png FAILED UNREADABLE  stand-in",
            "plates: unsupported.png FAILED UNSUPPORTED_FORMAT  stand-in",
            "plates: too-large.png FAILED TOO_LARGE  stand-in",
            "plates: blank.png FAILED BLANK_IMAGE  stand-in",
            "plates: model-error.png FAILED MODEL_ERROR  stand-in",
            "plates: crash.png FAILED MODEL_ERROR  stand-in",
            "plates: hang.png FAILED TIMEOUT  stand-in",
            "plates: notes.txt SKIPPED NOT_AN_IMAGE  ",
            "plates: gone.png FAILED READ_ERROR  stand-in");
    PAssert.that(rows.apply("Errors", MapElements.into(TypeDescriptors.strings())
            .via((KV<DirectoryWork, ImageResult> kv) -> kv.getValue().image() + " "
                + kv.getValue().error())))
        .satisfies(lines -> {
          Map<String, String> errors = new TreeMap<>();
          lines.forEach(l -> errors.put(l.substring(0, l.indexOf(' ')), l));
          assertThat(errors.get("hang.png"),
              equalTo("hang.png recognition took longer than 1 s (--imageTimeout)"));
          assertThat(errors.get("crash.png"), containsString("native call failed"));
          assertThat(errors.get("gone.png"), containsString("gone.png"));
          return null;
        });
    p.run().waitUntilFinish();

    StandInRecognizer.Stats stats = StandInRecognizer.stats("kinds");
    // The file without an image name and the unreadable blob never reach the recognizer.
    assertThat(stats.calls.get(), equalTo(9));
    assertThat(stats.closedWhileRunning.get(), equalTo(0));
  }

  private static List<ImageResult> process(RecognizeImages.RecognizeFn fn, ImageRef ref)
      throws InterruptedException {
    List<ImageResult> out = new ArrayList<>();
    process(fn, ref, out);
    return out;
  }

  /** One image as a bundle of its own: processed, then the bundle finished (its retries). */
  private static void process(RecognizeImages.RecognizeFn fn, ImageRef ref,
      List<ImageResult> out) throws InterruptedException {
    fn.process(ref, BoundedWindow.TIMESTAMP_MIN_VALUE, new DoFn.OutputReceiver<>() {
      @Override
      public void output(KV<DirectoryWork, ImageResult> kv) {
        out.add(kv.getValue());
      }

      @Override
      public void outputWithTimestamp(KV<DirectoryWork, ImageResult> kv, Instant ts) {
        output(kv);
      }
    });
    fn.finishBundle(fn.new FinishBundleContext() {
      @Override
      public PipelineOptions getPipelineOptions() {
        return PipelineOptionsFactory.create();
      }

      @Override
      public void output(KV<DirectoryWork, ImageResult> kv, Instant ts, BoundedWindow w) {
        out.add(kv.getValue());
      }

      @Override
      public <T> void output(TupleTag<T> tag, T output, Instant ts, BoundedWindow w) {
        throw new UnsupportedOperationException("no other outputs");
      }
    });
  }

  private static Map<String, Object> shown(RecognizeImages t) {
    Map<String, Object> items = new TreeMap<>();
    DisplayData.from(t).items().forEach(i -> items.put(i.getKey(), i.getValue()));
    return items;
  }

  /** Applies {@code t} to an empty input in a new pipeline, which checks its settings. */
  private static void applied(RecognizeImages t) {
    Pipeline.create().apply(Create.empty(RecordCoder.of(ImageRef.class))).apply(t);
  }

  private static void assertRefused(Executable setting, String message) {
    assertThat(assertThrows(IllegalArgumentException.class, setting).getMessage(),
        equalTo(message));
  }

  /**
   * Each setting is refused where it is set, the exit fraction against the memory fraction
   * whichever is set last, and a withX call leaves the transform it was called on as it was.
   */
  @Test
  void settingsAreCheckedWhenSetAndShownAsDisplayData() {
    RecognizeImages base = RecognizeImages.with(StandInRecognizer.factory("settings"));
    assertRefused(() -> base.withImageTimeout(Duration.ZERO),
        "image timeout must be > 0, got PT0S");
    assertRefused(() -> base.withMemoryFraction(1.5),
        "memory fraction must be in (0, 1], got 1.5");
    assertRefused(() -> base.withMemoryFraction(0), "memory fraction must be in (0, 1], got 0.0");
    assertRefused(() -> base.withMaxConcurrentInferences(-1),
        "max concurrent inferences must be >= 0 (0 = from RAM and cores), got -1");
    assertRefused(() -> base.withMaxImageBytes(0), "max image bytes must be > 0, got 0");
    assertRefused(() -> base.withWorkersPerHost(0), "workers per host must be >= 1, got 0");
    assertRefused(() -> base.withMemoryFraction(Double.NaN),
        "memory fraction must be in (0, 1], got NaN");
    assertRefused(() -> base.withMemoryExitFraction(1.01),
        "memory exit fraction must be in (0, 1], got 1.01");
    assertRefused(() -> base.withMemoryExitFraction(Double.NaN),
        "memory exit fraction must be in (0, 1], got NaN");
    // Against each other once the transform is applied, whichever was set first.
    assertRefused(() -> applied(base.withMemoryExitFraction(0.5)),
        "memory exit fraction must be in [memory fraction 0.75, 1], got 0.5");
    assertRefused(() -> applied(base.withMemoryFraction(0.97)),
        "memory exit fraction must be in [memory fraction 0.97, 1], got 0.95");
    applied(base.withMemoryFraction(0.97).withMemoryExitFraction(0.99));
    applied(base.withMemoryExitFraction(0.99).withMemoryFraction(0.97));
    assertThrows(NullPointerException.class, () -> RecognizeImages.with(null));
    assertThrows(NullPointerException.class, () -> base.withStorage(null));
    assertThrows(NullPointerException.class, () -> base.withSecondOpinion(null));
    assertThrows(NullPointerException.class, () -> base.withStaging(null));

    Map<String, Object> defaults = shown(base);
    assertThat(defaults, equalTo(Map.of("recognizer",
        StandInRecognizer.factory("settings").describe(), "imageTimeoutSeconds", 600L,
        "memoryFraction", 0.75, "maxConcurrentInferences", 0L, "maxImageBytes", 64L << 20,
        "workersPerHost", 1L, "memoryExitFraction", 0.95,
        "secondOpinion", SecondReader.NONE.label(), "thumbnails", true)));
    RecognizeImages set = base.withImageTimeout(Duration.ofSeconds(90))
        .withMemoryExitFraction(0.99).withMemoryFraction(0.97).withMaxConcurrentInferences(3)
        .withMaxImageBytes(1000).withWorkersPerHost(2).withSecondOpinion(SecondReader.MOLVEC)
        .withThumbnails(false);
    assertThat("the transform withX was called on", shown(base), equalTo(defaults));
    Map<String, Object> changed = new TreeMap<>(defaults);
    changed.putAll(Map.of("imageTimeoutSeconds", 90L, "memoryFraction", 0.97,
        "maxConcurrentInferences", 3L, "maxImageBytes", 1000L, "workersPerHost", 2L,
        "memoryExitFraction", 0.99, "secondOpinion", SecondReader.MOLVEC.label(),
        "thumbnails", false));
    assertThat(shown(set), equalTo(changed));
  }

  private static RecognizeImages.RecognizeFn fnWithTimeout(String name, long timeoutMs)
      throws IOException {
    RecognizeImages.RecognizeFn fn = new RecognizeImages.RecognizeFn(
        RecognizeImages.with(StandInRecognizer.factory(name))
            .withImageTimeout(Duration.ofMillis(timeoutMs)).withMaxConcurrentInferences(1));
    fn.setup();
    return fn;
  }

  /**
   * With a second reader on, every recognised row carries its reading of the same bytes, how it
   * compares with the recognizer's, and the warnings that follow; a reader that cannot read the
   * bytes is a warning on a row that stays RECOGNIZED. Without one the fields stay empty.
   */
  @Test
  void aSecondReaderPutsItsAnswerAndTheAgreementOnEachRow() throws Exception {
    RecognizeImages.RecognizeFn fn = new RecognizeImages.RecognizeFn(
        RecognizeImages.with(StandInRecognizer.factory("second-opinion"))
            .withMaxConcurrentInferences(1).withSecondOpinion(SecondReader.MOLVEC));
    fn.setup();
    long before = System.currentTimeMillis();
    // A clean drawing MolVec reads right; the stand-in answers "C" for real image bytes.
    ImageResult real = process(fn, put("clean.png", Files.readAllBytes(Path.of(
        "src/test/resources/images/generated/gen-101.png")))).get(0);
    ImageResult text = process(fn, put("text.png", image("smiles=CCO;confidence=0.99")))
        .get(0);
    fn.teardown();

    assertThat(real.status(), equalTo(ImageResult.Status.RECOGNIZED));
    assertThat(real.secondOpinion(), startsWith("molvec-"));
    assertThat(real.secondInchiKey(), not(emptyString()));
    assertThat(real.agreement(), equalTo("DIFFERENT"));
    assertThat(real.warnings(), hasItem("SECOND_OPINION_DIFFERS"));
    // The stand-in's "C" (tokens at 0.9 and 0.8, a LOW_CONFIDENCE reading) gives way to MolVec's.
    assertThat(real.bestSmiles(), equalTo(real.secondSmiles()));
    assertThat(real.chosenFrom(), equalTo("molvec/decimer-unsure"));
    assertThat(real.trust(), equalTo("medium"));
    assertThat(real.finishedAt(), greaterThanOrEqualTo(before));

    assertThat(text.status(), equalTo(ImageResult.Status.RECOGNIZED));
    assertThat(text.smiles(), equalTo("CCO"));
    assertThat(text.warnings(), equalTo(List.of("SECOND_OPINION_FAILED")));
    // MolVec failed on bytes that are no image: no second reading, DECIMER's alone.
    assertThat(text.trust(), equalTo("medium"));
    assertThat(text.chosenFrom(), equalTo("decimer/alone-sure"));
    assertThat(text.agreement(), equalTo("UNKNOWN"));
    assertThat(text.bestSmiles(), equalTo("CCO"));

    RecognizeImages.RecognizeFn alone = fnWithTimeout("no-second-opinion", 5000);
    ImageResult plain = process(alone, put("plain.png", image("smiles=CCO;confidence=0.99")))
        .get(0);
    alone.teardown();
    assertThat(plain.secondOpinion() + plain.secondSmiles() + plain.agreement(), equalTo(""));
    assertThat(plain.warnings(), equalTo(List.of()));
    assertThat(plain.bestSmiles(), equalTo("CCO"));
    assertThat(plain.chosenFrom(), equalTo("decimer/alone-sure"));
  }

  /**
   * A timed-out call that nothing can stop still runs at teardown: the model is closed only
   * once it has ended.
   */
  @Test
  void teardownWaitsForATimedOutCallBeforeClosingTheModel() throws Exception {
    RecognizeImages.RecognizeFn fn = fnWithTimeout("teardown-waits", 1000);
    assertThat(process(fn, put("slow.png", image("busyMs=1600"))).get(0).errorKind(),
        equalTo("TIMEOUT"));
    StandInRecognizer.Stats stats = StandInRecognizer.stats("teardown-waits");
    assertThat(stats.running.get(), equalTo(1));
    fn.teardown();
    // The call had about 600 ms left when the caller gave up at 1 s: teardown waited for it.
    assertThat("calls running when teardown returned", stats.running.get(), equalTo(0));
    assertThat(stats.closed.get(), equalTo(1));
    assertThat(stats.closedWhileRunning.get(), equalTo(0));
  }

  /** A call that outlives the drain leaves the model open rather than closed under it. */
  @Test
  void teardownLeavesTheModelOpenUnderACallThatDoesNotEnd() throws Exception {
    RecognizeImages.RecognizeFn fn = fnWithTimeout("teardown-hung", 300);
    // Held here too, so the gate outlives the instance: the stuck call ends before the next test.
    InferenceGate gate = sharedGateOfOne();
    assertThat(process(fn, put("hung.png", image("busyMs=2500"))).get(0).errorKind(),
        equalTo("TIMEOUT"));
    fn.teardown();
    StandInRecognizer.Stats stats = StandInRecognizer.stats("teardown-hung");
    assertThat(stats.running.get(), equalTo(1));
    assertThat(stats.closed.get(), equalTo(0));
    assertThat(stats.closedWhileRunning.get(), equalTo(0));
    assertThat("the stuck call ended and left the gate, not hung",
        gate.drain(Duration.ofSeconds(5)), equalTo(true));
    SharedGates.release(gate);
  }

  /** The gate an instance with one inference at a time shares; the caller releases it. */
  private static InferenceGate sharedGateOfOne() {
    return SharedGates.acquire(RecognizeImages.DEFAULT_MEMORY_FRACTION, 1, 1,
        RecognizeImages.DEFAULT_MEMORY_EXIT_FRACTION, 1);
  }

  /** A hung call is stopped at its timeout, and its slot and memory come back. */
  @Test
  void aHungCallIsStoppedAtItsTimeoutAndGivesItsSlotBack() throws Exception {
    RecognizeImages.RecognizeFn fn = fnWithTimeout("hang-stops", 500);
    InferenceGate gate = sharedGateOfOne();
    assertThat("no earlier call still holds the gate", gate.drain(Duration.ofSeconds(5)),
        equalTo(true));
    ImageResult row = process(fn, put("hang.png", image("allocMb=8", "sleepMs=60000"))).get(0);
    assertThat(row.errorKind(), equalTo("TIMEOUT"));
    StandInRecognizer.Stats stats = StandInRecognizer.stats("hang-stops");
    // The interrupted sleep ends the call; the wait is only a guard against a hang.
    assertThat("the stopped call gave its slot back, not hung",
        gate.drain(Duration.ofSeconds(30)), equalTo(true));
    assertThat(WorkerProbes.heapInUse(gate), equalTo(0L));
    assertThat(stats.running.get(), equalTo(0));
    assertThat(WorkerProbes.cancelled(gate), greaterThanOrEqualTo(1L));
    // The next image gets the only slot at once.
    assertThat(process(fn, put("next.png", image("smiles=O"))).get(0).smiles(), equalTo("O"));
    fn.teardown();
    assertThat(stats.closedWhileRunning.get(), equalTo(0));
    SharedGates.release(gate);
  }

  /** The listing's size decides: a file over --maxImageBytes is a row, never a download. */
  @Test
  void aFileOverMaxImageBytesIsTooLargeWithoutBeingRead() throws Exception {
    RecognizeImages.RecognizeFn fn = new RecognizeImages.RecognizeFn(
        RecognizeImages.with(StandInRecognizer.factory("max-bytes")).withMaxImageBytes(1000));
    fn.setup();
    // Listed at 60 MB; no such file exists, so reading it would be a READ_ERROR.
    ImageRef big = new ImageRef(work(), new FileEntry("big.png",
        Location.parse(tmp.resolve("plates").resolve("big.png").toString()), 60_000_000L));
    ImageResult row = process(fn, big).get(0);
    assertThat(row.errorKind(), equalTo("TOO_LARGE"));
    assertThat(row.error(), equalTo(
        "file of 60000000 bytes exceeds --maxImageBytes=1000; not read"));
    assertThat(process(fn, put("small.png", image("smiles=N"))).get(0).smiles(), equalTo("N"));
    fn.teardown();
    assertThat(StandInRecognizer.stats("max-bytes").calls.get(), equalTo(1));
  }

  /**
   * The heap running out is the worker's failure, not the image's: the error leaves
   * {@code @ProcessElement} (the runner retries the bundle) and no row is emitted, so the
   * directory is never summarised with it. The next image is recognised as before.
   */
  @Test
  void heapExhaustionLeavesProcessElementInsteadOfBecomingARow() throws Exception {
    RecognizeImages.RecognizeFn fn = fnWithTimeout("out-of-heap", 5000);
    ImageRef exhausting = put("exhausting.png", image("outOfHeap"));
    List<ImageResult> rows = new ArrayList<>();
    OutOfMemoryError e = assertThrows(OutOfMemoryError.class,
        () -> process(fn, exhausting, rows));
    assertThat(e.getMessage(), equalTo("Java heap space"));
    assertThat(rows, empty());
    assertThat(process(fn, put("next.png", image("smiles=O"))).get(0).smiles(), equalTo("O"));
    fn.teardown();
  }

  /**
   * A second reader whose reading of an image that says {@code holdSecond} waits until
   * {@link #release} opens; every reading answers CCO.
   */
  private static final class HeldSecondReader implements SecondOpinion {
    final CountDownLatch holding = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger closed = new AtomicInteger();

    @Override
    public String readerId() {
      return "held-reader";
    }

    @Override
    public SecondReading read(byte[] image) {
      if (new String(image, StandardCharsets.UTF_8).contains("holdSecond")) {
        holding.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Structures.Identity cco = Structures.identify("CCO").orElseThrow();
      return SecondReading.of(cco.canonicalSmiles(), cco.inchiKey(), 0);
    }

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }

  /**
   * The second reader reads after DECIMER has given back the image's inference slot: with one
   * slot, a second image is admitted and recognised while the first is still in its second
   * reading, and the first's row still carries that reading.
   */
  @Test
  void anotherImageIsRecognisedWhileTheFirstIsInItsSecondReading() throws Exception {
    HeldSecondReader reader = new HeldSecondReader();
    WorkerProbes.substituteSecondReader(SecondReader.MOLVEC, reader, 2);
    RecognizeImages spec = RecognizeImages.with(StandInRecognizer.factory("second-off-path"))
        .withMaxConcurrentInferences(1).withImageTimeout(Duration.ofSeconds(10))
        .withSecondOpinion(SecondReader.MOLVEC);
    RecognizeImages.RecognizeFn first = new RecognizeImages.RecognizeFn(spec);
    RecognizeImages.RecognizeFn second = new RecognizeImages.RecognizeFn(spec);
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      first.setup();
      second.setup();
      ImageRef a = put("a.png", image("smiles=CCO", "confidence=0.99", "holdSecond"));
      Future<List<ImageResult>> rowsOfA = caller.submit(() -> process(first, a));
      while (!reader.holding.await(50, TimeUnit.MILLISECONDS)) {
        assertFalse(rowsOfA.isDone(), "a.png ended before its second reading began");
      }

      List<ImageResult> rowsOfB = process(second, put("b.png", image("smiles=O")));
      boolean aStillReading = !rowsOfA.isDone() && reader.release.getCount() == 1;
      reader.release.countDown();
      ImageResult rowA = rowsOfA.get().get(0);

      assertThat(rowsOfB.stream().map(RecognizeImagesTest::describe).toList(),
          equalTo(List.of("b.png RECOGNIZED  O stand-in")));
      assertTrue(aStillReading, "a.png was still in its second reading when b.png's row came:"
          + " the slot was free while the second reader read");
      assertThat(describe(rowA), equalTo("a.png RECOGNIZED  CCO stand-in"));
      assertThat(rowA.secondOpinion(), equalTo("held-reader"));
      assertThat(rowA.secondSmiles(), equalTo("CCO"));
      assertThat(rowA.agreement(), equalTo("SAME"));
      assertThat(rowA.trust(), equalTo("high"));
      assertThat("stand-in calls at once", StandInRecognizer.stats("second-off-path")
          .maxRunning.get(), equalTo(1));
    } finally {
      reader.release.countDown();
      caller.shutdown();
      first.teardown();
      second.teardown();
      WorkerProbes.substituteSecondReader(SecondReader.MOLVEC, null, 0);
    }
    assertThat("the pool closed its reader with the job", reader.closed.get(), equalTo(1));
  }
}

