package decimerbeam.bench;

import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The other side of benchmark 3: Beam's {@code FileIO.match()} on the equivalent glob, through
 * Beam's own Azure file system (needs beam-sdks-java-io-azure on the classpath:
 * bench/fileio-match/pom.xml). {@code pipeline}: FileIO.match() on the DirectRunner;
 * {@code listing}: {@code FileSystems.match}, the call FileIO.match() makes, without a runner.
 * The account key is passed besides the connection string because Beam's client builder
 * otherwise replaces the key with a token credential.
 *
 * <pre>FileIoMatch pipeline|listing CONNECTION_STRING ACCOUNT ACCOUNT_KEY GLOB</pre>
 */
public final class FileIoMatch {

  private FileIoMatch() {}

  public static void main(String[] args) {
    PipelineOptions o = PipelineOptionsFactory.fromArgs("--azureConnectionString=" + args[1],
        "--accountName=" + args[2], "--accessKey=" + args[3]).withValidation().create();
    String glob = args[4];
    if (args[0].equals("listing")) {
      FileSystems.setDefaultPipelineOptions(o);
      ExpansionRun.measure("Beam FileSystems.match() calls",
          () -> FileSystems.match(List.of(glob)).get(0).metadata().size());
      return;
    }
    Pipeline p = Pipeline.create(o);
    ExpansionRun.measure("Beam FileIO.match()", p,
        p.apply("Match", FileIO.match().filepattern(glob)));
  }
}
