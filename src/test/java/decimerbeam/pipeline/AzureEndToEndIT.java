package decimerbeam.pipeline;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/** {@link EndToEndContract} on Azure Blob Storage semantics (Azurite), azfs:// in and out. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AzureEndToEndIT extends EndToEndContract {

  private AzureRunContainers storage;

  @Override
  void openStorage() throws Exception {
    storage = AzureRunContainers.start("batch1");
  }

  @AfterAll
  void stopAzurite() throws IOException {
    if (storage != null) {
      storage.close();
    }
  }

  @Override
  void stage(String relative, byte[] bytes) {
    storage.put(relative, bytes);
  }

  @Override
  String inputRoot() {
    return storage.inputRoot();
  }

  @Override
  String outputRoot() {
    return storage.outputRoot();
  }

  @Override
  List<String> storageArgs() {
    return storage.azurite.pipelineArgs();
  }

  @Override
  String rootName() {
    return storage.root;
  }

  @Override
  String readOutput(String relative) {
    return storage.read(relative);
  }

  @Override
  boolean outputExists(String relative) {
    return storage.exists(relative);
  }

  @Override
  void deleteOutput(String relative) {
    storage.delete(relative);
  }
}
