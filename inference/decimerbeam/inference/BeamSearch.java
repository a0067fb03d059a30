package decimerbeam.inference;

import static decimerbeam.inference.CachedDecoderModel.END;
import static decimerbeam.inference.CachedDecoderModel.MAX_LENGTH;
import static decimerbeam.inference.CachedDecoderModel.START;
import static decimerbeam.inference.CachedDecoderModel.VOCAB;

import decimerbeam.inference.RecognitionException.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.types.TFloat32;

/**
 * DECIMER's k best readings of one image: beam search over the cached decoder's steps. The
 * beam holds the k best hypotheses by summed log-probability, finished ones included; each
 * step extends the unfinished ones by every token, and the search ends when the k best are all
 * finished ({@code <end>} or the 302-step cap): a score only falls as a reading grows, so no
 * continuation of a prefix that ranks below them could overtake them.
 *
 * <p>The image's cross-attention keys/values are replicated into k rows, one per unfinished
 * hypothesis; when the ranking hands a row's prefix to several continuations, the first keeps
 * the row and the others get a copy of its cache rows in a row whose hypothesis dropped out.
 * Every step runs all k rows (the unused ones marked done): the step's rounding depends on its
 * row count (see {@link DecodingLoop}), so a fixed count keeps an image's readings the same
 * from call to call.
 *
 * <p>Readings that detokenise to the same SMILES count once, with the better score, so the
 * result has up to k distinct SMILES, best first. With k = 1 it is the greedy reading (ties go
 * to the lower token id, as TensorFlow's argmax does), up to the rounding of a one-row step
 * against the engine's wider greedy steps, which could only matter at a near tie.
 */
final class BeamSearch {

  /** The widest beam: k rows of self-attention caches are 7.4 MB each. */
  static final int MAX_WIDTH = 5;

  /** One cached-decoder step over every row: {@link CachedDecoderModel#stepDistribution}. */
  @FunctionalInterface
  interface Step {
    CachedDecoderModel.Distribution run(int[] tokens, int[] positions, boolean[] doneRows,
        TFloat32 keyMasks, TFloat32 selfCaches, TFloat32 crossKvs);
  }

  /** An unfinished reading: its tokens from {@code <start>} and the row holding its caches. */
  private record Hypothesis(int[] tokens, double score, int row) {
    int last() {
      return tokens[tokens.length - 1];
    }
  }

  /** A finished reading with the token ids it was read from ({@code <start>} first). */
  record Reading(int[] tokens, Alternative alternative) {}

  private final Step step;
  private final TokenDecoder tokenDecoder;

  BeamSearch(Step step, TokenDecoder tokenDecoder) {
    this.step = step;
    this.tokenDecoder = tokenDecoder;
  }

  /**
   * Up to {@code width} distinct readings of the image {@code encoded} ([12,1,8,256,64], taken
   * over and closed here), best first.
   *
   * @throws RecognitionException TIMEOUT once {@code deadlineNanos} (System.nanoTime) passes or
   *     the thread is interrupted; MODEL_ERROR when the decoder gives no usable probabilities
   */
  List<Alternative> search(TFloat32 encoded, int width, long deadlineNanos)
      throws RecognitionException {
    return readings(encoded, width, deadlineNanos).stream().map(Reading::alternative).toList();
  }

  /** As {@link #search}, with each reading's tokens. */
  List<Reading> readings(TFloat32 encoded, int width, long deadlineNanos)
      throws RecognitionException {
    if (width < 1 || width > MAX_WIDTH) {
      encoded.close();
      throw new IllegalArgumentException("beam width must be 1.." + MAX_WIDTH + ", got " + width);
    }
    try (DecoderSlots slots = new DecoderSlots(width)) {
      for (int row = 0; row < width; row++) {
        slots.load(row, encoded);
      }
      return run(slots, width, deadlineNanos);
    } finally {
      encoded.close();
    }
  }

  private List<Reading> run(DecoderSlots slots, int width, long deadlineNanos)
      throws RecognitionException {
    List<Hypothesis> live = List.of(new Hypothesis(new int[] {START}, 0.0, 0));
    List<Reading> finished = List.of();
    int[] tokens = new int[width];
    int[] positions = new int[width];
    boolean[] idle = new boolean[width];
    while (!live.isEmpty()) {
      if (Thread.currentThread().isInterrupted() || System.nanoTime() >= deadlineNanos) {
        throw new RecognitionException(Kind.TIMEOUT, "decoding passed its deadline");
      }
      // Every live hypothesis has the same length: they all grew one token per step.
      int position = live.get(0).tokens().length - 1;
      Arrays.fill(tokens, 0);
      Arrays.fill(idle, true);
      Arrays.fill(positions, position);
      for (Hypothesis h : live) {
        tokens[h.row()] = h.last();
        idle[h.row()] = false;
      }
      CachedDecoderModel.Distribution out = step.run(tokens, positions, idle, slots.keyMask,
          slots.selfKv, slots.crossKv);
      for (Hypothesis h : live) {
        slots.append(h.row(), position, out.newKv(), h.last() == 0);
      }
      List<Hypothesis> nextLive = new ArrayList<>(width);
      finished = rank(live, out.probabilities(), finished, width, nextLive);
      if (finished.isEmpty() && nextLive.isEmpty()) {
        throw new RecognitionException(Kind.MODEL_ERROR,
            "the decoder gave no token a probability above 0");
      }
      live = placeRows(live, nextLive, slots, position + 1, width);
    }
    return finished;
  }

  /**
   * The new beam: the best of the finished readings and of every live hypothesis extended by
   * every token, {@code width} at most. Returns the finished ones (distinct SMILES, best first)
   * and adds the unfinished ones to {@code nextLive} (their row still the parent's index).
   */
  private List<Reading> rank(List<Hypothesis> live, float[] probabilities,
      List<Reading> finished, int width, List<Hypothesis> nextLive)
      throws RecognitionException {
    int n = live.size() * VOCAB;
    double[] scores = new double[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < live.size(); i++) {
      Hypothesis h = live.get(i);
      int from = h.row() * VOCAB;
      for (int t = 0; t < VOCAB; t++) {
        float p = probabilities[from + t];
        // A token the model rules out (0, or NaN from a broken step) is never a continuation.
        scores[i * VOCAB + t] = p > 0 ? h.score() + Math.log(p) : Double.NEGATIVE_INFINITY;
        order[i * VOCAB + t] = i * VOCAB + t;
      }
    }
    // Best first; ties to the earlier hypothesis, then the lower token id.
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    List<Reading> nextFinished = new ArrayList<>(width);
    Set<String> seen = new HashSet<>();
    int f = 0;
    int c = 0;
    while (nextFinished.size() + nextLive.size() < width) {
      boolean candidateLeft = c < n && scores[order[c]] > Double.NEGATIVE_INFINITY;
      boolean takeFinished = f < finished.size()
          && (!candidateLeft || finished.get(f).alternative().score() >= scores[order[c]]);
      if (takeFinished) {
        Reading r = finished.get(f++);
        if (seen.add(r.alternative().smiles())) {
          nextFinished.add(r);
        }
        continue;
      }
      if (!candidateLeft) {
        break;
      }
      int index = order[c++];
      Hypothesis parent = live.get(index / VOCAB);
      int token = index % VOCAB;
      int[] extended = Arrays.copyOf(parent.tokens(), parent.tokens().length + 1);
      extended[extended.length - 1] = token;
      boolean atCap = extended.length == MAX_LENGTH + 1;
      if (token == END || atCap) {
        Alternative a = new Alternative(smiles(extended), scores[index], extended.length - 1,
            token != END);
        if (seen.add(a.smiles())) {
          nextFinished.add(new Reading(extended, a));
        }
      } else {
        nextLive.add(new Hypothesis(extended, scores[index], index / VOCAB));
      }
    }
    return nextFinished;
  }

  /**
   * Gives each new hypothesis a row: its parent's if no sibling took it first, otherwise a row
   * left by a hypothesis that dropped out, with the parent's first {@code length} cache
   * positions copied in. A copy's source is always a row kept this round, never a destination.
   */
  private static List<Hypothesis> placeRows(List<Hypothesis> live, List<Hypothesis> next,
      DecoderSlots slots, int length, int width) {
    boolean[] taken = new boolean[width];
    int[] rowOf = new int[next.size()];
    for (int j = 0; j < next.size(); j++) {
      int parentRow = live.get(next.get(j).row()).row();
      rowOf[j] = taken[parentRow] ? -1 : parentRow;
      taken[parentRow] = true;
    }
    List<Hypothesis> placed = new ArrayList<>(next.size());
    int free = 0;
    for (int j = 0; j < next.size(); j++) {
      Hypothesis h = next.get(j);
      if (rowOf[j] < 0) {
        while (taken[free]) {
          free++;
        }
        taken[free] = true;
        slots.copyPrefix(live.get(h.row()).row(), free, length);
        rowOf[j] = free;
      }
      placed.add(new Hypothesis(h.tokens(), h.score(), rowOf[j]));
    }
    return placed;
  }

  private String smiles(int[] ids) throws RecognitionException {
    try {
      return tokenDecoder.smiles(ids);
    } catch (TokenDecoder.UnknownTokenException e) {
      throw new RecognitionException(Kind.MODEL_ERROR, e.getMessage(), e);
    }
  }
}
