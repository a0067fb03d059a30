package decimerbeam.inference;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The real prepared DECIMER model, loaded once per test JVM. Preparation runs on first use; if it
 * cannot, every test that needs the model fails with the preparation error.
 */
public final class TestModel {

  private static DecimerEngine engine;

  private TestModel() {}

  public static synchronized PreparedModel prepared() {
    try {
      return new ModelStore(ModelStore.defaultCacheRoot()).resolve(ModelStore.PRINTED);
    } catch (IOException e) {
      throw new UncheckedIOException("the real DECIMER model could not be prepared", e);
    }
  }

  public static synchronized DecimerEngine engine() {
    if (engine == null) {
      try {
        engine = DecimerEngine.load(prepared(), EngineSettings.defaults());
      } catch (IOException e) {
        throw new UncheckedIOException("the real DECIMER model could not be loaded", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
    }
    return engine;
  }
}
