package decimerbeam.storage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Azure secrets never travel in serialised form: the JVM that was given them gets them back, and
 * a worker JVM takes them from its own environment.
 */
class WorkerCredentialsTest {

  private static final String KEY = "a2V5LXRoYXQtbXVzdC1ub3QtdHJhdmVs";
  private static final String SAS = "sv=2024&sig=sas-that-must-not-travel";
  private static final String CONNECTION =
      "DefaultEndpointsProtocol=http;AccountName=acct;AccountKey=conn-key-that-must-not-travel";

  @TempDir Path tmp;

  @Test
  void serialisedAccessHoldsNoSecret() {
    AzureAccess access = new AzureAccess(CONNECTION, "acct", KEY, SAS, "http://127.0.0.1:1/a", 3);
    String bytes = new String(SerializableUtils.serializeToByteArray(access),
        StandardCharsets.ISO_8859_1);
    for (String secret : new String[] {KEY, SAS, CONNECTION, "conn-key-that-must-not-travel"}) {
      assertThat(secret, bytes.contains(secret), is(false));
    }
    assertThat(bytes, containsString("http://127.0.0.1:1/a"));
  }

  @Test
  void theLaunchingJvmGetsItsSecretsBack() {
    AzureAccess access = new AzureAccess("", "acct", KEY, "", "", 3);
    assertThat(SerializableUtils.clone(access), equalTo(access));
  }

  /** A TaskManager is another JVM: there the secrets come from its own environment. */
  @Test
  void aWorkerJvmResolvesSecretsFromItsEnvironment() throws Exception {
    AzureAccess launcher = new AzureAccess("", "acct", KEY, "", "http://127.0.0.1:1/a", 3);
    Path graph = tmp.resolve("access.bin");
    Files.write(graph, SerializableUtils.serializeToByteArray(launcher));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), Worker.class.getName(),
        graph.toString());
    pb.environment().remove(AzureAccess.ENV_CONNECTION_STRING);
    pb.environment().remove(AzureAccess.ENV_SAS_TOKEN);
    pb.environment().put(AzureAccess.ENV_ACCOUNT_KEY, "worker-own-key");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(out, p.waitFor(), equalTo(0));
    assertThat(out, equalTo("worker-own-key|acct|http://127.0.0.1:1/a|3"));
  }

  /** The worker side of {@link #aWorkerJvmResolvesSecretsFromItsEnvironment}. */
  public static final class Worker {
    public static void main(String[] args) throws Exception {
      AzureAccess a = (AzureAccess) SerializableUtils.deserializeFromByteArray(
          Files.readAllBytes(Path.of(args[0])), "access");
      System.out.println(a.accountKey() + "|" + a.accountName() + "|" + a.endpoint() + "|"
          + a.retry().maxTries());
    }
  }
}
