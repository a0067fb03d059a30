package decimerbeam.pipeline;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import decimerbeam.tools.Azurite;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/** {@link EndToEndContract} on Azure Blob Storage semantics (Azurite), azfs:// in and out. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AzureEndToEndIT extends EndToEndContract {

  private Azurite azurite;
  private BlobContainerClient plates;
  private BlobContainerClient results;

  @Override
  void openStorage() throws Exception {
    azurite = Azurite.start();
    plates = azurite.container("plates");
    results = azurite.container("results");
  }

  @AfterAll
  void stopAzurite() throws IOException {
    if (azurite != null) {
      azurite.close();
    }
  }

  @Override
  void stage(String relative, byte[] bytes) {
    plates.getBlobClient("batch1/" + relative).upload(BinaryData.fromBytes(bytes), true);
  }

  @Override
  String inputRoot() {
    return "azfs://" + Azurite.ACCOUNT + "/plates/batch1/";
  }

  @Override
  String outputRoot() {
    return "azfs://" + Azurite.ACCOUNT + "/results/run/";
  }

  @Override
  List<String> storageArgs() {
    return azurite.pipelineArgs();
  }

  @Override
  String rootName() {
    return "batch1";
  }

  @Override
  String readOutput(String relative) {
    return results.getBlobClient("run/" + relative).downloadContent().toString();
  }

  @Override
  boolean outputExists(String relative) {
    return results.getBlobClient("run/" + relative).exists();
  }

  @Override
  void deleteOutput(String relative) {
    results.getBlobClient("run/" + relative).delete();
  }
}
