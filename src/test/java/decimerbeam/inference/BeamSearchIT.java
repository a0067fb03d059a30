package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import decimerbeam.inference.RecognitionException.Kind;
import decimerbeam.testing.TestImages;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

/**
 * DECIMER's k best readings on the real model: k = 1 is the greedy reading, k = 5 gives
 * distinct SMILES best first, none worse than the greedy one at the top, each scored as its
 * own tokens are.
 */
class BeamSearchIT {

  /** Parity images (Python DECIMER's SMILES are known for them). */
  private static final List<String> IMAGES = List.of("real/decimer-caffeine.png",
      "real/decimer-DECIMER_test_0.png", "generated/gen-000.png");
  /** Rounding between a 1-row and a k-row step, in summed log-probability. */
  private static final double ROUNDING = 1e-3;

  @Test
  void oneReadingIsTheGreedyReading() throws Exception {
    DecimerEngine engine = TestModel.cachedEngine();
    for (String image : IMAGES) {
      byte[] bytes = TestImages.bytes(image);
      Recognition greedy = engine.recognize(bytes);
      List<Alternative> one = engine.alternatives(bytes, 1, 0);
      assertThat(image, one.size(), equalTo(1));
      Alternative a = one.get(0);
      assertThat(image, a.smiles(), equalTo(greedy.smiles()));
      assertThat(image, a.smiles(), equalTo(TestImages.goldenSmiles(image)));
      assertThat(image, a.truncated(), equalTo(false));
      // The greedy confidences leave out <end>'s, which the score includes.
      assertThat(image, a.tokenCount(), equalTo(greedy.tokenCount() + 1));
      double withoutEnd = 0;
      for (float c : greedy.tokenConfidences()) {
        withoutEnd += Math.log(c);
      }
      assertThat(image, a.score(), lessThanOrEqualTo(withoutEnd + ROUNDING));
      // <end> was the argmax of 156 probabilities: at least 1/156.
      assertThat(image, a.score(),
          greaterThanOrEqualTo(withoutEnd + Math.log(1.0 / 156) - ROUNDING));
      assertThat(image, a.meanLogProbability(), equalTo(a.score() / a.tokenCount()));
    }
  }

  @Test
  void fiveReadingsAreDistinctBestFirstAndNoWorseThanGreedy() throws Exception {
    DecimerEngine engine = TestModel.cachedEngine();
    for (String image : IMAGES.subList(0, 2)) {
      byte[] bytes = TestImages.bytes(image);
      Alternative greedy = engine.alternatives(bytes, 1, 0).get(0);
      List<Alternative> five = engine.alternatives(bytes, 5, 0);
      System.out.printf("%s: greedy %s %.4f%n", image, greedy.smiles(), greedy.score());
      five.forEach(a -> System.out.printf("  %.4f %s%n", a.score(), a.smiles()));
      assertThat(image, five.size(), greaterThanOrEqualTo(1));
      assertThat(image, five.size(), lessThanOrEqualTo(5));
      assertThat(image + " distinct", new HashSet<>(five.stream().map(Alternative::smiles)
          .toList()).size(), equalTo(five.size()));
      for (int i = 1; i < five.size(); i++) {
        assertThat(image + " sorted at " + i, five.get(i).score(),
            lessThanOrEqualTo(five.get(i - 1).score()));
      }
      assertThat(image + " best vs greedy", five.get(0).score(),
          greaterThanOrEqualTo(greedy.score() - ROUNDING));
      // Where the greedy reading survives the wider beam it keeps its score: the caches it
      // was continued from were its own, however its rows moved.
      Optional<Alternative> same = five.stream()
          .filter(a -> a.smiles().equals(greedy.smiles())).findFirst();
      same.ifPresent(a -> assertThat(image + " greedy's score in the beam",
          Math.abs(a.score() - greedy.score()), lessThan(ROUNDING)));
      // Each call starts afresh: the same image gives the same readings again.
      assertThat(image + " repeatable", engine.alternatives(bytes, 5, 0), equalTo(five));
    }
  }

  /**
   * Every reading scores what its own tokens score when the decoder is fed them one by one on
   * a single row: a hypothesis continued from another's cache rows would not.
   */
  @Test
  void everyReadingScoresAsItsTokensDoWhenForced() throws Exception {
    PreparedModel prepared = TestModel.prepared();
    TokenDecoder vocabulary = TokenDecoder.fromJson(prepared.indexWordJson());
    CachedDecoderModel model = TestModel.cachedDecoderModel();
    BeamSearch beam = new BeamSearch(model::stepDistribution, vocabulary);
    // One short molecule: each of its readings is fed again token by token.
    String image = "real/decimer-caffeine.png";
    float[] input = TestModel.cachedEngine().preprocess(TestImages.bytes(image));
    List<BeamSearch.Reading> readings = beam.readings(model.encode(input, 0), 5,
        System.nanoTime() + TimeUnit.MINUTES.toNanos(10));
    System.out.printf("%s: %d readings forced%n", image, readings.size());
    assertThat(image, readings.size(), greaterThanOrEqualTo(3));
    for (BeamSearch.Reading r : readings) {
      assertThat(image + " " + r.alternative().smiles(),
          forcedScore(model, input, r.tokens()), closeTo(r.alternative().score(), ROUNDING));
    }
  }

  /** The summed log-probability of {@code tokens} (from {@code <start>}) fed to one row. */
  private static double forcedScore(CachedDecoderModel model, float[] input, int[] tokens) {
    try (TFloat32 encoded = model.encode(input, 0);
        DecoderSlots slots = new DecoderSlots(1)) {
      slots.load(0, encoded);
      double sum = 0;
      for (int position = 0; position + 1 < tokens.length; position++) {
        CachedDecoderModel.Distribution d = model.stepDistribution(
            new int[] {tokens[position]}, new int[] {position}, new boolean[] {false},
            slots.keyMask, slots.selfKv, slots.crossKv);
        slots.append(0, position, d.newKv(), tokens[position] == 0);
        sum += Math.log(d.probabilities()[tokens[position + 1]]);
      }
      return sum;
    }
  }

  @Test
  void refusesAWidthOutsideOneToFiveAndTheFullDecoder() {
    DecimerEngine cached = TestModel.cachedEngine();
    byte[] caffeine = TestImages.bytes("real/decimer-caffeine.png");
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> cached.alternatives(caffeine, 0, 0)).getMessage(), containsString("1..5"));
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> cached.alternatives(caffeine, 6, 0)).getMessage(), containsString("1..5"));
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> TestModel.engine().alternatives(caffeine, 3, 0)).getMessage(),
        containsString("cached decoder"));
  }

  @Test
  void aDeadlineEndsTheSearchAndTheEngineGoesOn() throws Exception {
    DecimerEngine engine = TestModel.cachedEngine();
    byte[] caffeine = TestImages.bytes("real/decimer-caffeine.png");
    List<Alternative> whole = engine.alternatives(caffeine, 5, 0);
    // A deadline no machine meets; where in the search it lands, BeamSearchTest pins down.
    RecognitionException e = assertThrows(RecognitionException.class,
        () -> engine.alternatives(caffeine, 5, 1));
    assertThat(e.getMessage(), e.kind(), equalTo(Kind.TIMEOUT));
    assertThat(engine.alternatives(caffeine, 5, 600_000), equalTo(whole));
    assertThat(engine.recognize(caffeine).smiles(), equalTo(TestImages.CAFFEINE));
  }
}
