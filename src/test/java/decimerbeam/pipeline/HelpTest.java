package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code --help} lists every option of the pipeline once, under its group, with its default. */
class HelpTest {

  @Test
  void everyOptionIsListedOnceUnderItsGroupInGroupOrder() {
    String help = Help.text();
    int groupsSeen = 0;
    int lastGroupAt = -1;
    for (String group : Help.GROUPS) {
      int at = help.indexOf("\n" + group + "\n");
      assertThat(group, at, greaterThan(lastGroupAt));
      lastGroupAt = at;
      groupsSeen++;
    }
    assertThat(groupsSeen, equalTo(Help.GROUPS.size()));
    for (Method m : DecimerOptions.class.getDeclaredMethods()) {
      if (!m.getName().startsWith("get") && !m.getName().startsWith("is")) {
        continue;
      }
      String option = "  --" + Help.optionName(m);
      int first = help.indexOf(option + " ");
      int firstLine = help.indexOf(option + "\n");
      int at = first >= 0 ? first : firstLine;
      assertThat(option + " listed", at, greaterThan(0));
      assertThat(option + " listed once", help.indexOf(option + " ", at + 1) < 0
          && help.indexOf(option + "\n", at + 1) < 0, equalTo(true));
      OptionGroup group = m.getAnnotation(OptionGroup.class);
      String before = help.substring(0, at);
      String lastHeader = Help.GROUPS.stream()
          .filter(g -> before.contains("\n" + g + "\n"))
          .reduce((a, b) -> before.lastIndexOf("\n" + a + "\n")
              > before.lastIndexOf("\n" + b + "\n") ? a : b).orElse("");
      assertThat(option + " under its group", lastHeader, equalTo(group.value()));
    }
    assertThat(help, containsString("  --secondOpinion (default molvec)"));
    assertThat(help, containsString("  --checkpointInterval (default 30)"));
  }

  @Test
  void helpAnywhereOnTheLinePrintsItAndRunsNothing() throws Exception {
    PrintStream saved = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.dispatch(new String[] {"--input=/nowhere/", "--help"}), equalTo(0));
      assertThat(Main.dispatch(new String[] {"help"}), equalTo(0));
    } finally {
      System.setOut(saved);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8), containsString("Azure storage\n"));
  }
}
