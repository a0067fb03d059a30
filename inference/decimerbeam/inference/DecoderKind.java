package decimerbeam.inference;

import java.util.Locale;

/**
 * Which decoder turns an image's encoding into tokens. Both are DECIMER's greedy decoder with the
 * same weights: {@code FULL} is the published graph, which re-runs all layers over the whole
 * prefix at every step; {@code CACHED} is the same decoder rebuilt with key/value caches, the
 * encoder run once, and the steps of all in-flight images batched ({@link DecodingLoop}).
 */
public enum DecoderKind {
  FULL,
  CACHED;

  /** "full" or "cached", as on the command line. */
  public static DecoderKind parse(String name) {
    for (DecoderKind k : values()) {
      if (k.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException("--decoder must be full or cached, got " + name);
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
