package decimerbeam.inference;

import java.nio.file.Path;

/**
 * A model directory ready for the JVM: a SavedModel with a {@code serving_default} signature,
 * the tokenizer's id → token map as JSON, and a manifest of checksums.
 */
public record PreparedModel(String modelId, Path root) {

  public static final String SAVED_MODEL = "saved_model";
  public static final String INDEX_WORD = "index_word.json";
  public static final String MANIFEST = "manifest.json";

  public Path savedModelDir() {
    return root.resolve(SAVED_MODEL);
  }

  public Path indexWordJson() {
    return root.resolve(INDEX_WORD);
  }

  public Path manifest() {
    return root.resolve(MANIFEST);
  }
}
