package tally.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One chaos run per cluster at a time. Two runs would inject into each other's recoveries, restart
 * each other's targets and attribute each other's failovers to their own faults, so that neither
 * report meant anything. An OS file lock in the cluster's chaos directory: the kernel releases it
 * when the holder exits, however it exits, so a killed run leaves nothing to clean up.
 */
final class ChaosRunLock implements AutoCloseable {
  static final String FILE_NAME = "run.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private ChaosRunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock in {@code chaosDir} for {@code runId}, or fails with who holds it.
   *
   * @throws IllegalStateException when another run (in this or another process) holds it
   */
  static ChaosRunLock acquire(Path chaosDir, String runId) {
    Path file = chaosDir.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      Files.createDirectories(chaosDir);
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this JVM
      }
      if (lock == null) {
        String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
        channel.close();
        throw new IllegalStateException(
            "another chaos run is injecting faults into this cluster ("
                + (holder.isEmpty() ? "holder unknown" : holder)
                + "; lock "
                + file
                + "): wait for it to end, or stop it (Ctrl-C, or kill its pid) first");
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              ("run "
                      + runId
                      + ", pid "
                      + ProcessHandle.current().pid()
                      + ", since "
                      + Instant.now()
                      + System.lineSeparator())
                  .getBytes(StandardCharsets.UTF_8)),
          0);
      channel.force(false);
      return new ChaosRunLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot take the chaos run lock " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      // Emptied first: a stale holder line must not name a run that has ended.
      channel.truncate(0);
      lock.release();
    } catch (IOException e) {
      // the lock goes with the channel anyway
    } finally {
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // nothing held any more
    }
  }
}
