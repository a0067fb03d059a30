package decimerbeam.pipeline;

import decimerbeam.storage.AzureAccess;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** {@link CrashAndRerunContract} on Azure Blob Storage semantics (Azurite); the secret by env. */
class CrashAndRerunAzureIT extends CrashAndRerunContract {

  private AzureRunContainers storage;

  @Override
  void openStorage() throws Exception {
    storage = AzureRunContainers.start("in");
  }

  @AfterEach
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
  String rootName() {
    return storage.root;
  }

  @Override
  Map<String, String> environment() {
    return Map.of(AzureAccess.ENV_CONNECTION_STRING, storage.azurite.connectionString());
  }

  @Override
  List<String> outputFiles() {
    return storage.outputNames();
  }

  @Override
  String readOutput(String relative) {
    return storage.read(relative);
  }
}
