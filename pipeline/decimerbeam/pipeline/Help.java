package decimerbeam.pipeline;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * {@code --help}: the pipeline's own options, grouped by what they are about, each with its
 * default and description, read from {@link DecimerOptions} itself so it cannot drift from it.
 * Beam's and the runner's options are pointed to, not repeated.
 */
final class Help {

  /** The groups in the order they are printed. */
  static final List<String> GROUPS = List.of("Input and output", "Resume and retry", "Model",
      "Results and review", "Memory and time", "Azure storage", "Progress and logs");

  private static final int WIDTH = 100;

  private Help() {}

  static String text() {
    Map<String, List<String>> byGroup = new LinkedHashMap<>();
    GROUPS.forEach(g -> byGroup.put(g, new ArrayList<>()));
    List<Method> getters = new ArrayList<>(List.of(DecimerOptions.class.getDeclaredMethods()));
    getters.removeIf(m -> m.getAnnotation(Description.class) == null);
    getters.sort(Comparator.comparing(Method::getName));
    for (Method m : List.copyOf(getters)) {
      OptionGroup group = m.getAnnotation(OptionGroup.class);
      String name = optionName(m);
      if (group == null || !byGroup.containsKey(group.value())) {
        throw new IllegalStateException("option --" + name + " has no group of " + GROUPS);
      }
      byGroup.get(group.value()).add(entry(name, defaultOf(m),
          m.getAnnotation(Description.class).value()));
    }
    StringBuilder out = new StringBuilder(String.join("\n",
        "usage: decimer-beam [run] [--option=value ...]      run the pipeline",
        "       decimer-beam predict [--json] [--model=ID|DIR] IMAGE...",
        "       decimer-beam prepare-model [--model=ID] [--source=auto|pypi|zenodo|ZIP]",
        "       decimer-beam help                              this text",
        "", "Options of run (README.md has the details):", ""));
    byGroup.forEach((group, entries) -> {
      out.append(group).append('\n');
      entries.forEach(out::append);
      out.append('\n');
    });
    out.append("Runner options: --runner=FlinkRunner --flinkMaster=[local]|HOST:PORT "
        + "--parallelism=N and the rest of\nBeam's and Flink's options (README, \"Running on "
        + "Flink\").\n\nExit codes of run:\n").append(ExitCode.table());
    return out.toString();
  }

  static String optionName(Method getter) {
    String n = getter.getName().startsWith("get") ? getter.getName().substring(3)
        : getter.getName().substring(2);
    return Character.toLowerCase(n.charAt(0)) + n.substring(1);
  }

  private static String defaultOf(Method m) {
    for (Annotation a : m.getAnnotations()) {
      if (a.annotationType().getEnclosingClass() == Default.class) {
        try {
          return String.valueOf(a.annotationType().getMethod("value").invoke(a));
        } catch (ReflectiveOperationException e) {
          return "";
        }
      }
    }
    return "";
  }

  private static String entry(String name, String def, String description) {
    StringBuilder e = new StringBuilder("  --").append(name);
    if (!def.isEmpty()) {
      e.append(" (default ").append(def).append(')');
    }
    e.append('\n');
    StringBuilder line = new StringBuilder("      ");
    for (String word : description.split(" ")) {
      if (line.length() + word.length() + 1 > WIDTH && line.length() > 6) {
        e.append(line).append('\n');
        line = new StringBuilder("      ");
      }
      line.append(line.length() > 6 ? " " : "").append(word);
    }
    return e.append(line).append('\n').toString();
  }
}
