package decimerbeam.inference;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The real prepared DECIMER model, loaded once per test JVM. Preparation runs on first use; if it
 * cannot, every test that needs the model fails with the preparation error.
 */
public final class TestModel {

  private static DecimerEngine engine;
  private static DecimerEngine cachedEngine;

  private TestModel() {}

  public static synchronized PreparedModel prepared() {
    try {
      return new ModelStore(ModelStore.defaultCacheRoot()).resolve(ModelStore.PRINTED);
    } catch (IOException e) {
      throw new UncheckedIOException("the real DECIMER model could not be prepared", e);
    }
  }

  /** The real model with the cached, batched decoder, loaded once per test JVM. */
  public static synchronized DecimerEngine cachedEngine() {
    if (cachedEngine == null) {
      cachedEngine = load(EngineSettings.defaults().withDecoder(DecoderKind.CACHED));
    }
    return cachedEngine;
  }

  /**
   * The cached engine's decoder graphs, for a test's own decoding loop or beam: loaded once with
   * the engine, never closed by the test.
   */
  public static CachedDecoderModel cachedDecoderModel() {
    return cachedEngine().cachedDecoderModel();
  }

  /** The real model with the full decoder, loaded once per test JVM. */
  public static synchronized DecimerEngine engine() {
    if (engine == null) {
      engine = load(EngineSettings.defaults().withDecoder(DecoderKind.FULL));
    }
    return engine;
  }

  /** Loads the prepared model once more; closed when the JVM ends. */
  private static DecimerEngine load(EngineSettings settings) {
    try {
      DecimerEngine e = DecimerEngine.load(prepared(), settings);
      Runtime.getRuntime().addShutdownHook(new Thread(e::close));
      return e;
    } catch (IOException e) {
      throw new UncheckedIOException("the real DECIMER model could not be loaded", e);
    }
  }
}
