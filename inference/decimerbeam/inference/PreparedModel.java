package decimerbeam.inference;

import java.nio.file.Path;

/**
 * A model directory ready for the JVM: a SavedModel with a {@code serving_default} signature,
 * the cached decoder's SavedModel ({@code encode}/{@code step}), the tokenizer's id → token map
 * as JSON, and a manifest of checksums.
 */
public record PreparedModel(String modelId, Path root) {

  public static final String SAVED_MODEL = "saved_model";
  public static final String INDEX_WORD = "index_word.json";
  public static final String MANIFEST = "manifest.json";
  public static final String CACHED_DECODER = "cached_decoder";

  public Path savedModelDir() {
    return root.resolve(SAVED_MODEL);
  }

  public Path indexWordJson() {
    return root.resolve(INDEX_WORD);
  }

  public Path manifest() {
    return root.resolve(MANIFEST);
  }

  public Path cachedDecoderDir() {
    return root.resolve(CACHED_DECODER);
  }

  /** What to run when this model was prepared before the cached decoder existed. */
  public String missingCachedDecoder() {
    return "model " + modelId + " in " + root + " was prepared without the cached decoder ("
        + CACHED_DECODER + "/). Add it with `java -jar decimer-beam.jar prepare-model --model "
        + modelId + "` (or `python3 tools/prepare_model.py --model " + modelId + "`), which"
        + " adds it from the same weights, or run with --decoder=full";
  }
}
