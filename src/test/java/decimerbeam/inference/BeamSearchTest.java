package decimerbeam.inference;

import static decimerbeam.inference.CachedDecoderModel.DEPTH;
import static decimerbeam.inference.CachedDecoderModel.END;
import static decimerbeam.inference.CachedDecoderModel.HEADS;
import static decimerbeam.inference.CachedDecoderModel.PLANES;
import static decimerbeam.inference.CachedDecoderModel.SELF_ROW;
import static decimerbeam.inference.CachedDecoderModel.START;
import static decimerbeam.inference.CachedDecoderModel.VOCAB;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import decimerbeam.inference.RecognitionException.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/**
 * Beam search without the model: a stand-in decoder whose next-token distribution depends on
 * the whole prefix it reads back from its own self-attention cache, so a hypothesis continued
 * from another's cache rows scores differently from what its tokens say.
 */
class BeamSearchTest {

  /** Tokens the stand-in can choose besides {@code <end>}. */
  private static final int[] WORDS = {2, 3, 4, 5, 6, 7};
  private static final char FIRST_CHAR = '\u0100';

  /** The stand-in's distribution after {@code prefix} (from {@code <start>}). */
  private static float[] distribution(List<Integer> prefix) {
    long hash = 17;
    for (int t : prefix) {
      hash = hash * 31 + t;
    }
    float[] p = new float[VOCAB];
    double sum = 0;
    for (int i = 0; i < WORDS.length; i++) {
      p[WORDS[i]] = 1 + Math.floorMod(hash * (i + 7) + i * 13L, 11);
      sum += p[WORDS[i]];
    }
    // <end> grows likelier with length, so every reading ends within a few dozen tokens.
    p[END] = prefix.size() * prefix.size() / 4f;
    sum += p[END];
    for (int i = 0; i < VOCAB; i++) {
      p[i] /= (float) sum;
    }
    return p;
  }

  /**
   * The stand-in step: writes each row's token (+1) as its new key and reads the row's earlier
   * tokens back from its cache, so the prefix it conditions on is whatever the cache holds.
   */
  private static CachedDecoderModel.Distribution step(int[] tokens, int[] positions,
      boolean[] done, TFloat32 keyMasks, TFloat32 selfCaches, TFloat32 crossKvs) {
    int rows = tokens.length;
    FloatDataBuffer cache = selfCaches.asRawTensor().data().asFloats();
    float[] probabilities = new float[rows * VOCAB];
    float[] newKv = new float[PLANES * rows * HEADS * DEPTH];
    for (int r = 0; r < rows; r++) {
      newKv[r * HEADS * DEPTH] = tokens[r] + 1;
      if (done[r]) {
        continue;
      }
      List<Integer> prefix = new ArrayList<>();
      for (int j = 0; j < positions[r]; j++) {
        prefix.add((int) cache.getFloat((long) r * SELF_ROW + (long) j * DEPTH) - 1);
      }
      prefix.add(tokens[r]);
      System.arraycopy(distribution(prefix), 0, probabilities, r * VOCAB, VOCAB);
    }
    return new CachedDecoderModel.Distribution(probabilities, newKv);
  }

  /** Every id a character of its own, so a SMILES spells its tokens. */
  private static TokenDecoder vocabulary(Map<Integer, String> overrides) {
    Map<Integer, String> words = new HashMap<>();
    for (int i = 0; i < VOCAB; i++) {
      words.put(i, String.valueOf((char) (FIRST_CHAR + i)));
    }
    words.put(START, "<start>");
    words.put(END, "<end>");
    words.putAll(overrides);
    return new TokenDecoder(words);
  }

  private static List<Integer> tokensOf(String smiles) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < smiles.length(); i++) {
      ids.add(smiles.charAt(i) - FIRST_CHAR);
    }
    return ids;
  }

  /** The summed log-probability of a reading under the stand-in, {@code <end>} included. */
  private static double score(List<Integer> tokens) {
    List<Integer> prefix = new ArrayList<>(List.of(START));
    double sum = 0;
    for (int t : tokens) {
      sum += Math.log(distribution(prefix)[t]);
      prefix.add(t);
    }
    return sum + Math.log(distribution(prefix)[END]);
  }

  private static TFloat32 encoding() {
    return TFloat32.tensorOf(Shape.of(PLANES, 1, HEADS, CachedDecoderModel.ENCODER_POSITIONS,
        DEPTH));
  }

  private static List<Alternative> search(int width) throws RecognitionException {
    return new BeamSearch(BeamSearchTest::step, vocabulary(Map.of()))
        .search(encoding(), width, inAMinute());
  }

  private static long inAMinute() {
    return System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
  }

  @Test
  void widthOneIsGreedy() throws Exception {
    List<Integer> greedy = new ArrayList<>();
    List<Integer> prefix = new ArrayList<>(List.of(START));
    while (true) {
      float[] p = distribution(prefix);
      int best = 0;
      for (int t = 1; t < VOCAB; t++) {
        best = p[t] > p[best] ? t : best;
      }
      if (best == END) {
        break;
      }
      greedy.add(best);
      prefix.add(best);
    }
    List<Alternative> one = search(1);
    assertThat(one.size(), equalTo(1));
    assertThat(tokensOf(one.get(0).smiles()), equalTo(greedy));
    assertThat(one.get(0).score(), closeTo(score(greedy), 1e-9));
    assertThat(one.get(0).tokenCount(), equalTo(greedy.size() + 1));
  }

  @Test
  void widerBeamsScoreEachReadingByItsOwnTokensBestFirst() throws Exception {
    double greedy = search(1).get(0).score();
    for (int width = 2; width <= BeamSearch.MAX_WIDTH; width++) {
      List<Alternative> readings = search(width);
      assertThat(readings.size(), equalTo(width));
      assertThat(new HashSet<>(readings.stream().map(Alternative::smiles).toList()).size(),
          equalTo(width));
      for (int i = 0; i < readings.size(); i++) {
        Alternative a = readings.get(i);
        // A wrong cache row under a hypothesis would make the stand-in score another prefix.
        assertThat(a.smiles(), a.score(), closeTo(score(tokensOf(a.smiles())), 1e-9));
        assertThat(a.smiles() + " ended with <end>", a.truncated(), equalTo(false));
        if (i > 0) {
          assertThat(a.score(), lessThanOrEqualTo(readings.get(i - 1).score()));
        }
      }
      assertThat(readings.get(0).score(), greaterThanOrEqualTo(greedy));
    }
  }

  @Test
  void readingsThatSpellTheSameSmilesCountOnce() throws Exception {
    // Two ids for one word: different token sequences, one SMILES.
    TokenDecoder twins = vocabulary(Map.of(3, String.valueOf((char) (FIRST_CHAR + 2))));
    List<Alternative> readings = new BeamSearch(BeamSearchTest::step, twins)
        .search(encoding(), 5, inAMinute());
    assertThat(new HashSet<>(readings.stream().map(Alternative::smiles).toList()).size(),
        equalTo(readings.size()));
    assertThat(readings.size(), greaterThan(0));
  }

  @Test
  void aReadingWithoutEndStopsAtTheCapAsTruncated() throws Exception {
    BeamSearch.Step neverEnds = (tokens, positions, done, masks, self, cross) -> {
      float[] p = new float[tokens.length * VOCAB];
      for (int r = 0; r < tokens.length; r++) {
        p[r * VOCAB + 2] = 0.9f;
        p[r * VOCAB + 3] = 0.1f;
      }
      return new CachedDecoderModel.Distribution(p,
          new float[PLANES * tokens.length * HEADS * DEPTH]);
    };
    List<Alternative> readings = new BeamSearch(neverEnds, vocabulary(Map.of()))
        .search(encoding(), 2, inAMinute());
    assertThat(readings.size(), equalTo(2));
    for (Alternative a : readings) {
      assertThat(a.smiles() + " hit the step limit", a.truncated(), equalTo(true));
      assertThat(a.tokenCount(), equalTo(CachedDecoderModel.MAX_LENGTH));
    }
    assertThat(readings.get(0).score(), closeTo(302 * Math.log(0.9f), 1e-6));
  }

  @Test
  void aPassedDeadlineOrAnInterruptEndsTheSearch() {
    AtomicInteger steps = new AtomicInteger();
    BeamSearch counting = new BeamSearch((tokens, positions, done, masks, self, cross) -> {
      steps.incrementAndGet();
      return step(tokens, positions, done, masks, self, cross);
    }, vocabulary(Map.of()));
    RecognitionException late = assertThrows(RecognitionException.class,
        () -> counting.search(encoding(), 3, System.nanoTime() - 1));
    assertThat(late.kind(), equalTo(Kind.TIMEOUT));
    Thread.currentThread().interrupt();
    try {
      RecognitionException interrupted = assertThrows(RecognitionException.class,
          () -> counting.search(encoding(), 3, inAMinute()));
      assertThat(interrupted.kind(), equalTo(Kind.TIMEOUT));
    } finally {
      Thread.interrupted();
    }
    assertThat(steps.get(), equalTo(0));
  }
}
