package decimerbeam.pipeline;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import decimerbeam.tools.Azurite;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's input and output on a fresh Azurite: images under {@code plates/<root>/}, results
 * under {@code results/run/}; the Azure counterpart of {@link LocalRunFolders}.
 */
final class AzureRunContainers implements AutoCloseable {

  private static final String RUN = "run/";

  final Azurite azurite;
  /** The input root's name, as it appears in output paths. */
  final String root;
  private final BlobContainerClient plates;
  private final BlobContainerClient results;

  private AzureRunContainers(Azurite azurite, String root) {
    this.azurite = azurite;
    this.root = root;
    this.plates = azurite.container("plates");
    this.results = azurite.container("results");
  }

  static AzureRunContainers start(String root) throws IOException, InterruptedException {
    return new AzureRunContainers(Azurite.start(), root);
  }

  void put(String relative, byte[] bytes) {
    plates.getBlobClient(root + "/" + relative).upload(BinaryData.fromBytes(bytes), true);
  }

  String inputRoot() {
    return "azfs://" + Azurite.ACCOUNT + "/plates/" + root + "/";
  }

  String outputRoot() {
    return "azfs://" + Azurite.ACCOUNT + "/results/" + RUN;
  }

  String read(String relative) {
    return results.getBlobClient(RUN + relative).downloadContent().toString();
  }

  boolean exists(String relative) {
    return results.getBlobClient(RUN + relative).exists();
  }

  void delete(String relative) {
    results.getBlobClient(RUN + relative).delete();
  }

  /** Every blob under the output root, relative to it. */
  List<String> outputNames() {
    List<String> names = new ArrayList<>();
    for (BlobItem b : results.listBlobs(new ListBlobsOptions().setPrefix(RUN), null)) {
      names.add(b.getName().substring(RUN.length()));
    }
    return names;
  }

  @Override
  public void close() throws IOException {
    azurite.close();
  }
}
