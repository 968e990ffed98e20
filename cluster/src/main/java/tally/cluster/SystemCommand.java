package tally.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A system tool run to completion (ip, nft, tc, mount, mkfs): its output, or an exception that
 * names the command and says what it printed.
 */
public final class SystemCommand {
  private static final long TIMEOUT_SECONDS = 60;

  private SystemCommand() {}

  /** Runs {@code command}; returns what it printed (stdout and stderr). */
  public static String run(List<String> command) {
    return run(command, null);
  }

  /** Runs {@code command} with {@code input} on its stdin (none when null). */
  public static String run(List<String> command, String input) {
    String line = String.join(" ", command);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (input != null) {
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(line + " did not finish");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            line + " failed (exit " + process.exitValue() + "): " + output.strip());
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + line, e);
    }
  }
}
