package decimerbeam.pipeline;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import decimerbeam.storage.AzureAccess;
import decimerbeam.tools.Azurite;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** {@link CrashAndRerunContract} on Azure Blob Storage semantics (Azurite); the secret by env. */
class CrashAndRerunAzureIT extends CrashAndRerunContract {

  private Azurite azurite;
  private BlobContainerClient plates;
  private BlobContainerClient results;

  @Override
  void openStorage() throws Exception {
    azurite = Azurite.start();
    plates = azurite.container("plates");
    results = azurite.container("results");
  }

  @AfterEach
  void stopAzurite() throws IOException {
    if (azurite != null) {
      azurite.close();
    }
  }

  @Override
  void stage(String relative, byte[] bytes) {
    plates.getBlobClient("in/" + relative).upload(BinaryData.fromBytes(bytes), true);
  }

  @Override
  String inputRoot() {
    return "azfs://" + Azurite.ACCOUNT + "/plates/in/";
  }

  @Override
  String outputRoot() {
    return "azfs://" + Azurite.ACCOUNT + "/results/run/";
  }

  @Override
  String rootName() {
    return "in";
  }

  @Override
  Map<String, String> environment() {
    return Map.of(AzureAccess.ENV_CONNECTION_STRING, azurite.connectionString());
  }

  @Override
  List<String> outputFiles() {
    List<String> names = new ArrayList<>();
    for (BlobItem b : results.listBlobs(new ListBlobsOptions().setPrefix("run/"), null)) {
      names.add(b.getName().substring("run/".length()));
    }
    return names;
  }

  @Override
  String readOutput(String relative) {
    return results.getBlobClient("run/" + relative).downloadContent().toString();
  }
}
