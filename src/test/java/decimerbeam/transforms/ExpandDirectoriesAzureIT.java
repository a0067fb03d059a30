package decimerbeam.transforms;

import static decimerbeam.transforms.ExpandDirectoriesTest.expand;
import static decimerbeam.transforms.ExpandDirectoriesTest.expectAndRun;
import static decimerbeam.transforms.ExpandDirectoriesTest.layout;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import decimerbeam.storage.AzureAccess;
import decimerbeam.tools.Azurite;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ExpandDirectoriesTest}'s layout on Azure Blob Storage semantics (Azurite). */
class ExpandDirectoriesAzureIT {

  @Test
  void azureBlobStorage() throws Exception {
    try (Azurite azurite = Azurite.start()) {
      BlobContainerClient c = azurite.container("plates");
      layout("run/", (rel, bytes) -> c.getBlobClient(rel).upload(BinaryData.fromBytes(bytes)));
      c.getBlobClient("results/run/c/summary.json").upload(BinaryData.fromString("{}"));
      AzureAccess access = new AzureAccess(azurite.connectionString(), "", "", "", "", 2);
      String root = "azfs://" + Azurite.ACCOUNT + "/plates/";
      // The output tree lives inside the input root here: it must not be listed as input.
      expectAndRun(expand(List.of(root + "run/"), access, root + "results/"),
          List.of("run/a/1.png", "run/a/notes.txt", "run/a/sub/3.png"),
          List.of("ALREADY_DONE " + root + "results/run/c/"));
      expectAndRun(expand(List.of(root), access, root + "results/"),
          List.of("plates/run/a/1.png", "plates/run/a/notes.txt", "plates/run/a/sub/3.png",
              "plates/run/c/4.jpg"), List.of());
    }
  }
}
