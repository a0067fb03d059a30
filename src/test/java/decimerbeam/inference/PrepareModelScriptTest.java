package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs tools/test_prepare_model.py: the tokenizer unpickler resolves only the classes DECIMER's
 * tokenizer names (eval, exec, os.system refused), the hand-drawn model is refused without a
 * user-given checksum, and a pickle inside its archive never replaces the pinned tokenizer.
 */
class PrepareModelScriptTest {

  @Test
  void preparationScriptSupplyChainChecksPass() throws Exception {
    Process p = new ProcessBuilder("python3", "tools/test_prepare_model.py", "-v")
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat("test_prepare_model.py ended, not hung: " + out, p.waitFor(120, TimeUnit.SECONDS),
        equalTo(true));
    assertThat(out, p.exitValue(), equalTo(0));
  }
}
