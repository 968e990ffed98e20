package tally.kafka.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, for error messages (reads at most the last 64 KiB). */
public final class LogTail {

  private static final int MAX_BYTES = 64 * 1024;

  private LogTail() {}

  public static String lastLines(Path file, int lines) {
    if (!Files.isRegularFile(file)) {
      return "(" + file.getFileName() + " does not exist)";
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      int size = (int) Math.min(length, MAX_BYTES);
      byte[] bytes = new byte[size];
      in.seek(length - size);
      in.readFully(bytes);
      List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
      List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
      return tail.isEmpty() || (tail.size() == 1 && tail.get(0).isEmpty())
          ? "(" + file.getFileName() + " is empty)"
          : String.join(System.lineSeparator(), tail);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }
}
