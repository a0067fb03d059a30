package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import decimerbeam.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** MolVec behind the SecondOpinion seam: a real reading, and every way it can go wrong. */
class MolVecOpinionTest {

  /** A clean generated image (no rotation, no noise) that MolVec reads right (benchmark 6). */
  private static final String CLEAN = "gen-101.png";

  private static String truthSmiles(String image) throws IOException {
    return Files.readAllLines(TestImages.file("generated/truth.csv")).stream()
        .filter(line -> line.startsWith(image + ","))
        .map(line -> line.split(",")[1])
        .findFirst().orElseThrow();
  }

  @Test
  void readsACleanGeneratedImageToTheTrueStructure() throws IOException {
    try (MolVecOpinion molvec = new MolVecOpinion()) {
      SecondReading r = molvec.read(TestImages.bytes("generated/" + CLEAN));
      assertThat(r.warning(), equalTo(Optional.empty()));
      String truthKey = Structures.identify(truthSmiles(CLEAN)).orElseThrow().inchiKey();
      assertThat(r.inchiKey(), equalTo(truthKey));
      assertThat(r.agreementWithSmiles(TestImages.goldenSmiles("generated/" + CLEAN)),
          equalTo(Agreement.SAME));
      assertThat(r.cpuSeconds(), greaterThan(0.0));
      assertThat(molvec.readerId(), equalTo("molvec-0.9.8"));
    }
  }

  @Test
  void garbageBytesAreAWarningNotAnException() {
    try (MolVecOpinion molvec = new MolVecOpinion()) {
      SecondReading r = molvec.read("not an image".getBytes(StandardCharsets.UTF_8));
      assertThat(r.warning(), equalTo(Optional.of(SecondOpinionWarning.SECOND_OPINION_FAILED)));
      assertThat(r.detail(), containsString("MolVec failed"));
      assertThat(r.inchiKey(), equalTo(""));
    }
  }

  @Test
  void aReaderThatThrowsIsAWarningThatNamesTheCause() {
    MolVecOpinion opinion = new MolVecOpinion(image -> {
      throw new IllegalStateException("no bonds in this picture");
    }, Duration.ofSeconds(5));
    SecondReading r = opinion.read(new byte[] {1});
    assertThat(r.warning(), equalTo(Optional.of(SecondOpinionWarning.SECOND_OPINION_FAILED)));
    assertThat(r.detail(), containsString("no bonds in this picture"));
  }

  /** The heap running out is no warning on a row: it reaches the caller, as everywhere else. */
  @Test
  void heapExhaustionInTheReaderReachesTheCaller() {
    MolVecOpinion opinion = new MolVecOpinion(image -> {
      throw new OutOfMemoryError("Java heap space");
    }, Duration.ofSeconds(5));
    OutOfMemoryError e = assertThrows(OutOfMemoryError.class,
        () -> opinion.read(new byte[] {1}));
    // The pool may rethrow a copy made on the caller's thread, with the original as its cause.
    List<String> messages = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.add(t.getMessage());
    }
    assertThat(messages, hasItem("Java heap space"));
  }

  @Test
  void aMolfileWithoutAtomsIsAnEmptyReading() {
    MolVecOpinion opinion = new MolVecOpinion(image -> "", Duration.ofSeconds(5));
    assertThat(opinion.read(new byte[] {1}).warning(),
        equalTo(Optional.of(SecondOpinionWarning.SECOND_OPINION_EMPTY)));
  }

  /** Like MolVec, a hung stand-in does not answer the interrupt the wrapper sends it. */
  private static void awaitIgnoringInterrupts(CountDownLatch latch) {
    while (latch.getCount() > 0) {
      try {
        latch.await();
      } catch (InterruptedException e) {
        // keep hanging
      }
    }
  }

  @Test
  void aHangIsATimeoutWarningAndTheReadingIsAbandoned() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    MolVecOpinion opinion = new MolVecOpinion(image -> {
      awaitIgnoringInterrupts(release);
      return "";
    }, Duration.ofMillis(300));
    // The reader never ends by itself: only the bound can give the reading back.
    SecondReading r = assertTimeoutPreemptively(Duration.ofMinutes(1),
        () -> opinion.read(new byte[] {1}),
        "the reading hung with its reader: the 300 ms bound never ended it");
    assertThat(r.warning(), equalTo(Optional.of(SecondOpinionWarning.SECOND_OPINION_TIMEOUT)));
    assertThat(r.detail(), equalTo("MolVec ran past 300 ms"));
    assertThat("the hung reader still runs, abandoned", opinion.abandonedRunning(), equalTo(1));
    // When the abandoned reading finally ends, it no longer counts against the limit.
    release.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (opinion.abandonedRunning() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat("the released reading ended and no longer counts as abandoned, not hung",
        opinion.abandonedRunning(), equalTo(0));
  }

  @Test
  void tooManyHungReadingsSkipTheNextImageWithoutStartingIt() {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    MolVecOpinion opinion = new MolVecOpinion(image -> {
      started.incrementAndGet();
      awaitIgnoringInterrupts(release);
      return "";
    }, Duration.ofMillis(50));
    try {
      for (int i = 0; i < MolVecOpinion.MAX_ABANDONED; i++) {
        assertThat(opinion.read(new byte[] {1}).warning(),
            equalTo(Optional.of(SecondOpinionWarning.SECOND_OPINION_TIMEOUT)));
      }
      SecondReading skipped = opinion.read(new byte[] {1});
      assertThat(skipped.warning(),
          equalTo(Optional.of(SecondOpinionWarning.SECOND_OPINION_SKIPPED)));
      assertThat(started.get(), equalTo(MolVecOpinion.MAX_ABANDONED));
    } finally {
      release.countDown();
    }
  }
}
