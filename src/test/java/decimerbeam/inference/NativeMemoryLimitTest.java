package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * The limit JavaCPP enforces in a worker JVM with a 1 GiB heap, read in a JVM of its own (JavaCPP
 * reads it once, when it loads): by default it would be 4 GiB, less than the model and a few
 * large images need while the host has room.
 */
class NativeMemoryLimitTest {

  /** Sizes the gate as a worker does, then prints what JavaCPP enforces, in MiB. */
  public static void main(String[] args) {
    InferenceCapacity c = InferenceCapacity.forThisHost(0.75, 0, 1, 4);
    System.out.println(Pointer.maxPhysicalBytes() >> 20);
    System.out.println(c.shareBytes() >> 20);
  }

  private static List<String> run(String... jvmArgs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    cmd.addAll(List.of(jvmArgs));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        NativeMemoryLimitTest.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out, p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0, equalTo(true));
    return out.lines().toList();
  }

  @Test
  void aSmallHeapNoLongerCapsNativeMemoryBelowTheHostsRam() throws Exception {
    long ram = InferenceCapacity.hostRamMib();
    List<String> lines = run();
    assertThat(lines.get(lines.size() - 2), equalTo(Long.toString(ram)));
    assertThat(lines.get(lines.size() - 1), equalTo(Long.toString(ram)));
  }

  @Test
  void aLimitTheUserSetIsKeptAndTheGatePlansWithinIt() throws Exception {
    List<String> lines = run("-D" + NativeMemoryLimit.PROPERTY + "=3g");
    assertThat(lines.get(lines.size() - 2), equalTo("3072"));
    assertThat(lines.get(lines.size() - 1), equalTo("3072"));
  }
}
