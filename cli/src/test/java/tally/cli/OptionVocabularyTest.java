package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One vocabulary: every option name of every verb is declared in exactly one class (a mixin shared
 * by the verbs that use it), so a name means one thing and has one description everywhere.
 */
class OptionVocabularyTest {

  /**
   * The contract fixes {@code generate --count} (records); {@code chaos --count} counts faults. The
   * one name with two meanings, by contract.
   */
  private static final Set<String> CONTRACT_HOMONYMS = Set.of("--count");

  @Test
  void everyOptionNameIsDeclaredOnce() {
    Map<String, Set<String>> declaredIn = new TreeMap<>();
    collect(TallyCli.commandLine(), declaredIn);

    Map<String, Set<String>> declaredTwice = new TreeMap<>(declaredIn);
    declaredTwice.values().removeIf(classes -> classes.size() == 1);
    declaredTwice.keySet().removeAll(CONTRACT_HOMONYMS);
    assertThat(declaredTwice).as("option names declared in more than one class").isEmpty();
    assertThat(declaredIn)
        .containsKeys("--bootstrap-servers", "--kafka-properties", "--balances-topic");
  }

  private static void collect(CommandLine command, Map<String, Set<String>> declaredIn) {
    for (OptionSpec option : command.getCommandSpec().options()) {
      if (option.userObject() instanceof Field field) {
        for (String name : option.names()) {
          declaredIn
              .computeIfAbsent(name, n -> new TreeSet<>())
              .add(field.getDeclaringClass().getName());
        }
      }
    }
    command.getSubcommands().values().forEach(sub -> collect(sub, declaredIn));
  }
}
