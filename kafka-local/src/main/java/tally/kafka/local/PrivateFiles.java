package tally.kafka.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories only their owner may read (0600 / 0700 on POSIX file systems):
 * configuration with passwords, keystores. A new file gets its mode when it is created, so there is
 * no moment in which it is readable by others; an existing one is restricted before it is
 * rewritten.
 */
public final class PrivateFiles {

  static final Set<PosixFilePermission> OWNER_READ_WRITE =
      PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private PrivateFiles() {}

  public static void writeString(Path file, String text) {
    write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  static void write(Path file, byte[] bytes) {
    try {
      if (POSIX && Files.exists(file)) {
        Files.setPosixFilePermissions(file, OWNER_READ_WRITE);
      } else if (POSIX) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
      }
      try (OutputStream out =
          Files.newOutputStream(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        out.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Creates the directory (and missing parents) if needed and restricts it to its owner. */
  public static Path directory(Path dir) {
    try {
      if (!POSIX) {
        return Files.createDirectories(dir);
      }
      if (!Files.isDirectory(dir)) {
        FileAttribute<Set<PosixFilePermission>> mode =
            PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR);
        Files.createDirectories(dir, mode);
      }
      Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create directory " + dir, e);
    }
  }
}
